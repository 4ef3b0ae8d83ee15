package io.revenant.supervisor;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.revenant.config.ConfigException;
import io.revenant.config.ConfigLoader;
import io.revenant.config.SupervisorConfig;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * Issue 11 finding 4: with the defaults, a worker that can never start (a bad JVM option, a
 * missing class) must make the supervisor give up within about a minute, however long each
 * failed boot takes, instead of retrying forever under a back-off that outruns the window.
 * The loop's arithmetic, replayed: boot, fail, start-limit check, back-off, boot again.
 */
class StartLimitDefaultsTest {

    @ParameterizedTest(name = "one slot, each boot fails after {0} ms: gives up within {1} s")
    @CsvSource({
            "50,   35",    // -XX:+NoSuchFlag, -version: the JVM exits at once
            "1000, 45",    // fails once Helidon is half up
            "2000, 55",
            "3000, 65",    // a slow boot on a loaded 2-core machine
    })
    void aPermanentBootFailureTripsTheDefaults(long bootMillis, long withinSeconds) throws ConfigException {
        SupervisorConfig defaults = ConfigLoader.loadYaml("{}", "defaults").supervisor();
        StartLimit limit = new StartLimit(defaults.startLimitBurst(), defaults.startLimitInterval().toMillis());
        long now = 0;
        for (int failures = 1; ; failures++) {
            now += bootMillis;
            if (limit.recordAndCheck(now)) {
                break;
            }
            now += Backoff.delay(defaults.restartSec(), defaults.restartMaxDelay(), defaults.restartSteps(), failures)
                    .toMillis();
            assertThat("still restarting after " + failures + " failures", now,
                       lessThanOrEqualTo(Duration.ofSeconds(withinSeconds).toMillis()));
        }
        assertThat(now, lessThanOrEqualTo(Duration.ofSeconds(withinSeconds).toMillis()));
    }
}
