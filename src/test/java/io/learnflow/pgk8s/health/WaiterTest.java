package io.learnflow.pgk8s.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.Pgk8sException;

/** The wait loop on a virtual clock: each pause advances it, so no test sleeps. */
class WaiterTest {
    private static final Duration INTERVAL = Duration.ofMillis(100);

    private long now;
    private final List<String> reported = new ArrayList<>();

    private Waiter waiter(DbSnapshot... sequence) {
        Iterator<DbSnapshot> states = List.of(sequence).iterator();
        DbSnapshot[] last = { null };
        return new Waiter(() -> last[0] = states.hasNext() ? states.next() : last[0], () -> now,
                d -> now += d.toNanos());
    }

    @Test
    @DisplayName("reports each change of state once, however many polls it lasts, then returns ready")
    void reportsChangesOnce() {
        Readiness.Verdict verdict = waiter(Snapshots.down(), Snapshots.down(), Snapshots.down(), Snapshots.noDatabase(),
                Snapshots.noDatabase(), Snapshots.emptyDatabase(), Snapshots.migratedTo(1))
                .await(List.of(1), 1, Duration.ofSeconds(10), INTERVAL, reported::add);

        assertThat(verdict.ready()).isTrue();
        assertThat(reported).containsExactly(
                "waiting for PostgreSQL at db:5432: connection refused at db:5432",
                "waiting for database learnflow to exist",
                "waiting for schema version 1 (now 0, 1 pending: 1)");
    }

    @Test
    @DisplayName("polls at the interval, so it notices readiness within one interval")
    void pollsAtTheInterval() {
        waiter(Snapshots.down(), Snapshots.down(), Snapshots.migratedTo(1)).await(List.of(1), 1, Duration.ofSeconds(10), INTERVAL,
                reported::add);
        assertThat(Duration.ofNanos(now)).isEqualTo(INTERVAL.multipliedBy(2));
    }

    @Test
    @DisplayName("gives up at the timeout with exit 1 and the last reason")
    void timesOut() {
        assertThatThrownBy(() -> waiter(Snapshots.noDatabase()).await(List.of(1), 1, Duration.ofSeconds(3), INTERVAL, reported::add))
                .isInstanceOfSatisfying(Pgk8sException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.FAILED))
                .hasMessage("timed out after 3s waiting for database learnflow to exist; check the database or raise --timeout");
        assertThat(Duration.ofNanos(now)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    @DisplayName("a ready database returns at once without reporting anything")
    void readyAtOnce() {
        assertThat(waiter(Snapshots.migratedTo(1, 2)).await(List.of(1, 2), 2, Duration.ofSeconds(1), INTERVAL, reported::add).message())
                .isEqualTo("ready: learnflow at version 2");
        assertThat(reported).isEmpty();
        assertThat(now).isZero();
    }

    @Test
    @DisplayName("migrate --wait's rule: waits through down, no database and login; a grant problem ends the wait")
    void acceptsLogin() {
        Readiness.Verdict verdict = waiter(Snapshots.down(), Snapshots.noDatabase(),
                Snapshots.failed(Problem.Kind.LOGIN, "password authentication failed for learnflow_user"),
                Snapshots.failed(Problem.Kind.PERMISSION, "permission denied for schema public"))
                .await(Readiness::acceptsLogin, Duration.ofSeconds(10), INTERVAL, reported::add, "--wait");

        assertThat(verdict.ready()).as("migrate reports the grant itself, at once").isTrue();
        assertThat(reported).containsExactly(
                "waiting for PostgreSQL at db:5432: connection refused at db:5432",
                "waiting for database learnflow to exist",
                "waiting to log in: password authentication failed for learnflow_user");
        assertThat(waiter(Snapshots.emptyDatabase()).await(Readiness::acceptsLogin, Duration.ofSeconds(1), INTERVAL,
                reported::add, "--wait").message()).isEqualTo("logged in to learnflow");
        assertThatThrownBy(() -> waiter(Snapshots.down()).await(Readiness::acceptsLogin, Duration.ofSeconds(1),
                INTERVAL, reported::add, "--wait")).hasMessageEndingWith("; check the database or raise --wait");
    }
}
