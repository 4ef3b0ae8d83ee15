package io.revenant.protocol;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The word the supervisor logs next to a worker's exit code: one per code the worker owns, none for the rest. */
class WorkerExitTest {

    @ParameterizedTest(name = "{0} -> \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "0   | ''",
            "1   | ''",
            "69  | listeners-unavailable",
            "70  | software-error",
            "71  | no-reuseport",
            "72  | no-listening-socket",
            "78  | bad-environment",
            "86  | chaos-kill",
            "87  | orphaned",
            // 128 + 9: the JDK's code for a worker killed by SIGKILL says nothing of the worker's own
            "137 | ''",
    })
    void meaning(int code, String meaning) {
        assertThat(WorkerExit.meaning(code), is(meaning));
    }
}
