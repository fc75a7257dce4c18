package io.learnflow.pgk8s.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The text of {@code migrations/001_initial_schema.sql}, as bundled in the application (one source, no copy). */
public final class InitialSchema {
    /** Where the build puts {@code migrations/}; see pom.xml. */
    static final String RESOURCE = "db/migration/" + InitScriptsConfigMap.SCHEMA_KEY;

    private InitialSchema() {
    }

    public static String bundled() {
        try (InputStream in = InitialSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not in the application; rebuild it with mvn package");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
