package io.learnflow.pgk8s.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReadinessTest {
    private static final List<Integer> FOUR = List.of(1, 2, 3, 4);

    static Stream<Arguments> states() {
        return Stream.of(
                Arguments.of("server down", Snapshots.down(), 1, false,
                        "waiting for PostgreSQL at db:5432: connection refused at db:5432"),
                Arguments.of("database missing", Snapshots.noDatabase(), 1, false,
                        "waiting for database learnflow to exist"),
                Arguments.of("password refused", Snapshots.failed(Problem.Kind.LOGIN, "password authentication failed"
                        + " for u: check PGPASSWORD or the postgres-app Secret"), 1, false, "waiting to log in:"
                        + " password authentication failed for u: check PGPASSWORD or the postgres-app Secret"),
                Arguments.of("grant missing", Snapshots.failed(Problem.Kind.PERMISSION, "permission denied: fix"), 1,
                        false, "waiting: permission denied: fix"),
                Arguments.of("nothing migrated", Snapshots.emptyDatabase(), 1, false,
                        "waiting for schema version 1 (now 0, 1 pending: 1)"),
                Arguments.of("behind the minimum", Snapshots.migratedTo(1, 2), 3, false,
                        "waiting for schema version 3 (now 2, 1 pending: 3)"),
                Arguments.of("a gap under the newest", Snapshots.migratedTo(1, 2, 4), 4, false,
                        "waiting for schema version 4 (now 4, 1 pending: 3)"),
                Arguments.of("at the minimum", Snapshots.migratedTo(1, 2, 3), 3, true, "ready: learnflow at version 3"),
                Arguments.of("above the minimum", Snapshots.migratedTo(1, 2, 3, 4), 3, true,
                        "ready: learnflow at version 4"),
                Arguments.of("ahead of the image", Snapshots.migratedTo(1, 2, 3, 4, 5, 6), 4, true,
                        "ready: learnflow at version 6, ahead of this image's 4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("states")
    void evaluate(String state, DbSnapshot snapshot, int minVersion, boolean ready, String message) {
        assertThat(Readiness.evaluate(snapshot, FOUR, minVersion)).isEqualTo(new Readiness.Verdict(ready, message));
    }
}
