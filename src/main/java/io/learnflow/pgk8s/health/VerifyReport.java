package io.learnflow.pgk8s.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.health.HealthCheckResponse;

import io.learnflow.pgk8s.output.Json;

/**
 * Renders check results. Healthy is one line (spec 8.4: "✓ PostgreSQL healthy", and at most 40 tokens for
 * agents); unhealthy is one ✓/✗ line per check, then the verdict with the first reason. A skipped check is no
 * result: it gets a {@code -} line of its own, for stderr, and status {@code SKIPPED} in JSON.
 */
public final class VerifyReport {
    public static final String HEALTHY = "✓ PostgreSQL healthy";
    public static final String NOT_READY = "✗ PostgreSQL not ready: ";

    private VerifyReport() {
    }

    public static String text(List<HealthCheckResponse> checks) {
        if (DatabaseChecks.allUp(checks)) {
            return verdict(checks);
        }
        StringBuilder out = new StringBuilder();
        for (HealthCheckResponse check : ran(checks)) {
            String reason = DatabaseChecks.reason(check);
            out.append(up(check) ? "✓ " : "✗ ").append(check.getName())
                    .append(reason.isEmpty() ? "" : " " + reason).append('\n');
        }
        return out.append(verdict(checks)).toString();
    }

    /** The last line alone: healthy with where and which version, or the first reason it is not. */
    public static String verdict(List<HealthCheckResponse> checks) {
        String failure = DatabaseChecks.firstFailure(checks);
        if (failure != null) {
            return NOT_READY + failure;
        }
        return HEALTHY + ": " + DatabaseChecks.reason(checks, DatabaseChecks.CONNECT) + "/"
                + DatabaseChecks.reason(checks, DatabaseChecks.DATABASE) + " "
                + DatabaseChecks.reason(checks, DatabaseChecks.MIGRATIONS);
    }

    /** {@code - kubernetes: skipped, <reason>} for each check that did not run; empty when all ran. */
    public static List<String> skipped(List<HealthCheckResponse> checks) {
        return checks.stream().filter(DatabaseChecks::isSkipped)
                .map(c -> "- " + c.getName() + ": skipped, " + DatabaseChecks.reason(c)).toList();
    }

    public static String json(List<HealthCheckResponse> checks) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (HealthCheckResponse check : checks) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", check.getName());
            item.put("status", DatabaseChecks.isSkipped(check) ? "SKIPPED" : check.getStatus().name());
            item.put("reason", DatabaseChecks.reason(check));
            items.add(item);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("healthy", DatabaseChecks.allUp(checks));
        report.put("checks", items);
        return Json.write(report);
    }

    private static List<HealthCheckResponse> ran(List<HealthCheckResponse> checks) {
        return checks.stream().filter(c -> !DatabaseChecks.isSkipped(c)).toList();
    }

    private static boolean up(HealthCheckResponse check) {
        return check.getStatus() == HealthCheckResponse.Status.UP;
    }
}
