package io.learnflow.pgk8s.health;

import java.util.Set;
import java.util.SortedSet;

import io.learnflow.pgk8s.db.ConnectionSettings;

/**
 * What one probe saw of the database. {@code connectError} is null when the server accepted the
 * connection; {@code databaseExists} is false when it answered that the database is missing.
 */
public record DbSnapshot(
        ConnectionSettings target,
        String connectError,
        boolean databaseExists,
        boolean selectOne,
        Set<String> tables,
        SortedSet<Integer> appliedVersions) {

    public boolean serverUp() {
        return connectError == null;
    }

    public int schemaVersion() {
        return appliedVersions.isEmpty() ? 0 : appliedVersions.last();
    }
}
