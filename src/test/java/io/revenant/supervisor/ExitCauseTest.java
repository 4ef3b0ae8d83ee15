package io.revenant.supervisor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class ExitCauseTest {

    @ParameterizedTest(name = "code {0} imposed {1} -> {2} {3}")
    @CsvSource({
            "0,   ,              CLEAN,         code:0",
            "1,   ,              EXIT_CODE,     code:1",
            "69,  ,              EXIT_CODE,     code:69",
            "86,  ,              CHAOS_KILL,    chaos-kill",
            "137, ,              SIGNAL,        signal:KILL",
            "143, ,              SIGNAL,        signal:TERM",
            "139, ,              SIGNAL,        signal:SEGV",
            "137, WATCHDOG,      WATCHDOG,      signal:KILL",
            "0,   REQUESTED,     REQUESTED,     code:0",
            "137, START_TIMEOUT, START_TIMEOUT, signal:KILL",
    })
    void classifies(int code, ExitCause.Kind imposed, ExitCause.Kind kind, String detail) {
        ExitCause cause = ExitCause.classify(code, imposed);
        assertThat(cause.kind(), is(kind));
        assertThat(cause.detail(), is(detail));
    }
}
