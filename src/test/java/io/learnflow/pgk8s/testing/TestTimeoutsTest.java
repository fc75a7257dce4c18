package io.learnflow.pgk8s.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

class TestTimeoutsTest {
    private static final String DEFAULT_TIMEOUT = "junit.jupiter.execution.timeout.default";
    /** JUnit's duration syntax: a number and an optional unit. */
    private static final Pattern DURATION = Pattern.compile("\\s*(\\d+)\\s*(ms|s|m|h|d)?\\s*");

    @RegisterExtension
    final Configuration configuration = new Configuration();

    @Test
    @DisplayName("every test has a default timeout of minutes, so a hung test fails instead of hanging CI")
    void defaultTimeout() {
        assertThat(configuration.defaultTimeout).as(DEFAULT_TIMEOUT + " in junit-platform.properties")
                .hasValueSatisfying(value -> assertThat(parse(value)).as(value)
                        .isBetween(Duration.ofMinutes(2), Duration.ofMinutes(30)));
    }

    private static Duration parse(String value) {
        Matcher m = DURATION.matcher(value);
        assertThat(m.matches()).as("'%s' is a JUnit duration such as '5 m'", value).isTrue();
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    /** The configuration JUnit runs this test with: junit-platform.properties, system properties, the launcher's. */
    static final class Configuration implements BeforeEachCallback {
        Optional<String> defaultTimeout = Optional.empty();

        @Override
        public void beforeEach(ExtensionContext context) {
            defaultTimeout = context.getConfigurationParameter(DEFAULT_TIMEOUT);
        }
    }
}
