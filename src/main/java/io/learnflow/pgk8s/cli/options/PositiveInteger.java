package io.learnflow.pgk8s.cli.options;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations, versions and counts that must be at least 1: zero or a negative number is a usage error (exit 2). */
public class PositiveInteger implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        int number;
        try {
            number = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number; give one of 1 or more");
        }
        if (number < 1) {
            throw new TypeConversionException("'" + value + "' must be 1 or more");
        }
        return number;
    }
}
