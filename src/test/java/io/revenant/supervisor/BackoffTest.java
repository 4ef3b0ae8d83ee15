package io.revenant.supervisor;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class BackoffTest {

    @ParameterizedTest(name = "first={0}ms max={1}ms steps={2} failure #{3} -> {4}ms")
    @CsvSource({
            "100, 5000, 5, 1, 100",
            "100, 5000, 5, 2, 219",     // 100 * 50^(1/5)
            "100, 5000, 5, 3, 478",
            "100, 5000, 5, 4, 1046",
            "100, 5000, 5, 5, 2287",
            "100, 5000, 5, 6, 5000",
            "100, 5000, 5, 60, 5000",   // capped
            "100, 5000, 0, 9, 100",     // no steps: no growth
            "500, 500, 5, 4, 500",      // max == first
            "0, 1000, 3, 1, 0",         // zero first delay stays zero for the first failure
            "0, 1000, 3, 2, 10",        // then grows from 1 ms
            "0, 1000, 3, 4, 1000",
    })
    void growsExponentiallyToTheCap(long first, long max, int steps, int failures, long expected) {
        assertThat(Backoff.delay(Duration.ofMillis(first), Duration.ofMillis(max), steps, failures),
                   is(Duration.ofMillis(expected)));
    }
}
