package io.learnflow.pgk8s.migrate;

/** One migration file, named {@code NNN_description.sql}. */
public record MigrationFile(int version, String fileName) {
}
