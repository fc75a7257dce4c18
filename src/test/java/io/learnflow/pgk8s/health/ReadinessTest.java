package io.learnflow.pgk8s.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReadinessTest {

    static Stream<Arguments> states() {
        return Stream.of(
                Arguments.of("server down", Snapshots.down(), 1, false,
                        "waiting for PostgreSQL at db:5432: connection refused at db:5432"),
                Arguments.of("database missing", Snapshots.noDatabase(), 1, false,
                        "waiting for database learnflow to exist"),
                Arguments.of("nothing migrated", Snapshots.emptyDatabase(), 1, false,
                        "waiting for schema version 1 (now 0)"),
                Arguments.of("behind the minimum", Snapshots.migratedTo(1, 2), 3, false,
                        "waiting for schema version 3 (now 2)"),
                Arguments.of("at the minimum", Snapshots.migratedTo(1, 2, 3), 3, true, "ready: learnflow at version 3"),
                Arguments.of("above the minimum", Snapshots.migratedTo(1, 2, 3, 4), 3, true,
                        "ready: learnflow at version 4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("states")
    void evaluate(String state, DbSnapshot snapshot, int minVersion, boolean ready, String message) {
        assertThat(Readiness.evaluate(snapshot, minVersion)).isEqualTo(new Readiness.Verdict(ready, message));
    }
}
