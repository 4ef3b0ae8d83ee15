package io.revenant.supervisor;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class StartLimitTest {

    @Test
    void tripsOnlyAboveTheBurstWithinTheWindow() {
        StartLimit limit = new StartLimit(3, 1000);
        assertThat(limit.recordAndCheck(0), is(false));
        assertThat(limit.recordAndCheck(100), is(false));
        assertThat(limit.recordAndCheck(200), is(false));
        assertThat(limit.recordAndCheck(300), is(true));
    }

    @Test
    void forgetsRestartsOlderThanTheWindow() {
        StartLimit limit = new StartLimit(2, 1000);
        limit.recordAndCheck(0);
        limit.recordAndCheck(500);
        assertThat(limit.recordAndCheck(1000), is(false));   // the one at 0 has left the window
        assertThat(limit.recent(), is(2));
        assertThat(limit.recordAndCheck(1200), is(true));
    }
}
