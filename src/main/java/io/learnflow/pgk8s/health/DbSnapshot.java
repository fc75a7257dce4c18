package io.learnflow.pgk8s.health;

import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;

import io.learnflow.pgk8s.db.ConnectionSettings;

/**
 * What one probe saw of the database. {@code problem} is null when every health query ran; otherwise it says
 * how far the probe got. {@code tables} is null when the probe did not get to read them.
 */
public record DbSnapshot(
        ConnectionSettings target,
        Problem problem,
        boolean selectOne,
        Set<String> tables,
        SortedSet<Integer> appliedVersions) {

    public static DbSnapshot failed(ConnectionSettings target, Problem problem) {
        return new DbSnapshot(target, problem, false, null, Collections.emptySortedSet());
    }

    public boolean serverUp() {
        return problem == null || problem.serverAnswered();
    }

    public boolean loggedIn() {
        return problem == null || problem.loggedIn();
    }

    public SchemaStatus schema() {
        return new SchemaStatus(appliedVersions);
    }
}
