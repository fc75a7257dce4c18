package io.learnflow.pgk8s.health;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.microprofile.health.HealthCheckResponse;

import io.learnflow.pgk8s.db.LearnFlowSchema;

/**
 * The database health checks, written once: verify prints them, and the SmallRye readiness check
 * reports them. Each is a pure function of one snapshot.
 */
public final class DatabaseChecks {
    public static final String CONNECT = "connect";
    public static final String SELECT_ONE = "select 1";
    public static final String DATABASE = "database";
    public static final String TABLES = "tables";
    public static final String MIGRATIONS = "migrations";
    public static final String REASON = "reason";
    static final String NOT_CHECKED = "not checked";

    private DatabaseChecks() {
    }

    /** @param expectedVersions the versions of every available migration */
    public static List<HealthCheckResponse> evaluate(DbSnapshot s, List<Integer> expectedVersions) {
        List<HealthCheckResponse> checks = new ArrayList<>();
        checks.add(check(CONNECT, s.serverUp(), s.serverUp() ? s.target().hostPort() : s.connectError()));
        checks.add(check(DATABASE, s.databaseExists(), s.databaseExists()
                ? s.target().database()
                : s.target().database() + (s.serverUp() ? " does not exist" : " not reachable")));
        if (!s.databaseExists()) {
            // The rest look inside the database: there is nothing to look at.
            List.of(SELECT_ONE, TABLES, MIGRATIONS).forEach(name -> checks.add(check(name, false, NOT_CHECKED)));
            return List.copyOf(checks);
        }
        checks.add(check(SELECT_ONE, s.selectOne(), s.selectOne() ? "" : "no answer"));
        List<String> missing = LearnFlowSchema.TABLES.stream().filter(t -> !s.tables().contains(t)).toList();
        checks.add(check(TABLES, missing.isEmpty(), missing.isEmpty()
                ? LearnFlowSchema.TABLES.size() + "/" + LearnFlowSchema.TABLES.size()
                : "missing " + String.join(", ", missing)));
        List<Integer> pending = expectedVersions.stream().filter(v -> !s.appliedVersions().contains(v)).toList();
        checks.add(check(MIGRATIONS, pending.isEmpty(), pending.isEmpty()
                ? "at version " + s.schemaVersion()
                : pending.size() + " pending: " + pending.stream().map(String::valueOf).collect(Collectors.joining(", "))));
        return List.copyOf(checks);
    }

    public static boolean allUp(List<HealthCheckResponse> checks) {
        return checks.stream().allMatch(c -> c.getStatus() == HealthCheckResponse.Status.UP);
    }

    /** The reason of the first failing check, or null when all are up. */
    public static String firstFailure(List<HealthCheckResponse> checks) {
        return checks.stream().filter(c -> c.getStatus() == HealthCheckResponse.Status.DOWN)
                .map(c -> c.getName() + ": " + reason(c)).findFirst().orElse(null);
    }

    public static String reason(HealthCheckResponse check) {
        return check.getData().map(d -> String.valueOf(d.get(REASON))).orElse("");
    }

    private static HealthCheckResponse check(String name, boolean up, String reason) {
        return HealthCheckResponse.named(name).status(up).withData(REASON, reason).build();
    }
}
