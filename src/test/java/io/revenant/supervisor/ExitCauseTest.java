package io.revenant.supervisor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class ExitCauseTest {

    @ParameterizedTest(name = "code {0} imposed {1} ready {2} -> {3} {4}")
    @CsvSource({
            "0,   ,              true,  CLEAN,         code:0",
            // issue 11 finding 4: -version exits 0 before READY; that is a failed start, not a clean exit
            "0,   ,              false, EARLY_EXIT,    code:0-before-ready",
            "1,   ,              false, EXIT_CODE,     code:1",
            "69,  ,              true,  EXIT_CODE,     code:69",
            "86,  ,              true,  CHAOS_KILL,    chaos-kill",
            "137, ,              true,  SIGNAL,        signal:KILL",
            "143, ,              false, SIGNAL,        signal:TERM",
            "139, ,              true,  SIGNAL,        signal:SEGV",
            "137, WATCHDOG,      true,  WATCHDOG,      signal:KILL",
            "0,   REQUESTED,     true,  REQUESTED,     code:0",
            "0,   REQUESTED,     false, REQUESTED,     code:0",
            "137, START_TIMEOUT, false, START_TIMEOUT, signal:KILL",
    })
    void classifies(int code, ExitCause.Kind imposed, boolean wasReady, ExitCause.Kind kind, String detail) {
        ExitCause cause = ExitCause.classify(code, imposed, wasReady);
        assertThat(cause.kind(), is(kind));
        assertThat(cause.detail(), is(detail));
    }
}
