package io.revenant.supervisor;

import java.util.stream.Stream;

import io.revenant.protocol.JsonText;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** issue 11 finding 1: /health reports the age of the loop's last turn and answers 503 when it is stuck. */
class HealthTest {

    static Stream<Arguments> table() {
        return Stream.of(
                // ready, min-ready, stopping, loop age ms -> code, body
                Arguments.of(2, 1, false, 0, 200,
                        "{\"status\":\"UP\",\"ready\":2,\"min-ready\":1,\"workers\":2,\"stopping\":false,\"loop-age-ms\":0}"),
                Arguments.of(1, 1, false, 5_000, 200,
                        "{\"status\":\"UP\",\"ready\":1,\"min-ready\":1,\"workers\":2,\"stopping\":false,\"loop-age-ms\":5000}"),
                Arguments.of(0, 0, false, 900, 200,
                        "{\"status\":\"UP\",\"ready\":0,\"min-ready\":0,\"workers\":2,\"stopping\":false,\"loop-age-ms\":900}"),
                Arguments.of(0, 1, false, 10, 503,
                        "{\"status\":\"DOWN\",\"reason\":\"0 READY workers; min-ready is 1\",\"ready\":0,\"min-ready\":1,"
                        + "\"workers\":2,\"stopping\":false,\"loop-age-ms\":10}"),
                Arguments.of(2, 1, true, 10, 503,
                        "{\"status\":\"DOWN\",\"reason\":\"stopping\",\"ready\":2,\"min-ready\":1,\"workers\":2,"
                        + "\"stopping\":true,\"loop-age-ms\":10}"),
                // enough READY workers in the last snapshot, but the loop stopped turning: the snapshot is stale
                Arguments.of(2, 1, false, 5_001, 503,
                        "{\"status\":\"STUCK\",\"reason\":\"the supervisor loop has not turned for 5001 ms (bound 5000 ms)\","
                        + "\"ready\":2,\"min-ready\":1,\"workers\":2,\"stopping\":false,\"loop-age-ms\":5001}"),
                Arguments.of(0, 1, true, 60_000, 503,
                        "{\"status\":\"STUCK\",\"reason\":\"the supervisor loop has not turned for 60000 ms (bound 5000 ms)\","
                        + "\"ready\":0,\"min-ready\":1,\"workers\":2,\"stopping\":true,\"loop-age-ms\":60000}"));
    }

    @ParameterizedTest
    @MethodSource("table")
    void decidesFromCountsAndLoopAge(long ready, int minReady, boolean stopping, long loopAgeMs, int code, String body) {
        Health health = Health.of(ready, minReady, 2, stopping, loopAgeMs);
        assertThat(health.code(), is(code));
        assertThat(JsonText.write(health.json()), is(body));
    }
}
