package io.revenant.supervisor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.revenant.config.RestartSetting;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The restart table of docs/operations.md, row by row. */
class RestartPolicyTest {

    @ParameterizedTest(name = "{0}: always={1} on-failure={2} no={3}")
    @CsvSource({
            "CLEAN,         true, false, false",
            "EARLY_EXIT,    true, true,  false",
            "EXIT_CODE,     true, true,  false",
            "SIGNAL,        true, true,  false",
            "CHAOS_KILL,    true, true,  false",
            "WATCHDOG,      true, true,  false",
            "START_TIMEOUT, true, true,  false",
            "REQUESTED,     false, false, false",
    })
    void table(ExitCause.Kind kind, boolean always, boolean onFailure, boolean no) {
        ExitCause cause = new ExitCause(kind, 1, "x");
        assertThat(RestartPolicy.restarts(RestartSetting.ALWAYS, cause), is(always));
        assertThat(RestartPolicy.restarts(RestartSetting.ON_FAILURE, cause), is(onFailure));
        assertThat(RestartPolicy.restarts(RestartSetting.NO, cause), is(no));
    }
}
