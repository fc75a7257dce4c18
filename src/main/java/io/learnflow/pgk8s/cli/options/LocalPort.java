package io.learnflow.pgk8s.cli.options;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code local --port}: a TCP port, or 0 for any free one. */
public class LocalPort implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // the same message as out of range
        }
        throw new TypeConversionException("'" + value + "' is not a TCP port; give 1 to 65535, or 0 for any free one");
    }
}
