package io.learnflow.pgk8s.health;

import java.util.ArrayList;
import java.util.List;

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
    /** Marks a check that did not run, and why not in its reason; it counts as passed. */
    static final String SKIPPED = "skipped";
    public static final String NOT_CHECKED = "not checked";

    private DatabaseChecks() {
    }

    /** @param available the versions of every migration this pgk8s carries; the target is the newest */
    public static List<HealthCheckResponse> evaluate(DbSnapshot s, List<Integer> available) {
        Problem problem = s.problem();
        List<HealthCheckResponse> checks = new ArrayList<>();
        boolean loggedIn = s.loggedIn();
        boolean noDatabase = problem != null && problem.kind() == Problem.Kind.NO_DATABASE;
        checks.add(check(CONNECT, loggedIn || noDatabase, loggedIn || noDatabase
                ? s.target().hostPort() : problem.reason()));
        checks.add(check(DATABASE, loggedIn, loggedIn ? s.target().database()
                : noDatabase ? problem.reason() + ": create it, or check PGDATABASE" : NOT_CHECKED));
        if (!loggedIn) {
            // The rest look inside the database: there is nothing to look at.
            List.of(SELECT_ONE, TABLES, MIGRATIONS).forEach(name -> checks.add(check(name, false, NOT_CHECKED)));
            return List.copyOf(checks);
        }
        checks.add(check(SELECT_ONE, s.selectOne(), s.selectOne() ? "" : problem.reason()));
        if (!s.selectOne()) {
            List.of(TABLES, MIGRATIONS).forEach(name -> checks.add(check(name, false, NOT_CHECKED)));
            return List.copyOf(checks);
        }
        if (s.tables() == null) {
            checks.add(check(TABLES, false, problem.reason()));
            checks.add(check(MIGRATIONS, false, NOT_CHECKED));
            return List.copyOf(checks);
        }
        List<String> missing = LearnFlowSchema.TABLES.stream().filter(t -> !s.tables().contains(t)).toList();
        checks.add(check(TABLES, missing.isEmpty(), missing.isEmpty()
                ? LearnFlowSchema.TABLES.size() + "/" + LearnFlowSchema.TABLES.size()
                : "missing " + String.join(", ", missing)));
        if (problem != null) {
            checks.add(check(MIGRATIONS, false, problem.reason()));
        } else {
            int target = SchemaStatus.newest(available);
            checks.add(check(MIGRATIONS, s.schema().migrated(available, target), s.schema().describe(available, target)));
        }
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

    /** The reason a named check gave. */
    public static String reason(List<HealthCheckResponse> checks, String name) {
        return checks.stream().filter(c -> c.getName().equals(name)).map(DatabaseChecks::reason).findFirst().orElse("");
    }

    /** A check and its reason; what every check here and in {@code kube.ClusterChecks} is made of. */
    public static HealthCheckResponse check(String name, boolean up, String reason) {
        return HealthCheckResponse.named(name).status(up).withData(REASON, reason).build();
    }

    /**
     * A check that did not run. MicroProfile Health knows only UP and DOWN: it is UP, so it fails nothing, and
     * {@link VerifyReport} shows it apart.
     */
    public static HealthCheckResponse skipped(String name, String reason) {
        return HealthCheckResponse.named(name).up().withData(REASON, reason).withData(SKIPPED, true).build();
    }

    public static boolean isSkipped(HealthCheckResponse check) {
        return check.getData().map(d -> Boolean.TRUE.equals(d.get(SKIPPED))).orElse(false);
    }
}
