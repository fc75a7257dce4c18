package io.learnflow.pgk8s.health;

import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.db.LearnFlowSchema;

/** Snapshots of database states, for the pure evaluators. */
final class Snapshots {
    static final ConnectionSettings TARGET = new ConnectionSettings("db", 5432, "learnflow", "u", "p");

    private Snapshots() {
    }

    static DbSnapshot down() {
        return failed(Problem.Kind.UNREACHABLE, "connection refused at db:5432");
    }

    static DbSnapshot noDatabase() {
        return failed(Problem.Kind.NO_DATABASE, "learnflow does not exist");
    }

    static DbSnapshot failed(Problem.Kind kind, String reason) {
        return DbSnapshot.failed(TARGET, new Problem(kind, reason));
    }

    static DbSnapshot migratedTo(Integer... versions) {
        return new DbSnapshot(TARGET, null, true, Set.copyOf(LearnFlowSchema.TABLES), new TreeSet<>(Arrays.asList(versions)));
    }

    static DbSnapshot emptyDatabase() {
        return new DbSnapshot(TARGET, null, true, Set.of(), Collections.emptySortedSet());
    }
}
