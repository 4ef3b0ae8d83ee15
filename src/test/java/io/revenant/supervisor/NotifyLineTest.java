package io.revenant.supervisor;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** Issue 11 finding 2: every notify line is checked before the loop sees it. Worker 7 is pid 4211 here. */
class NotifyLineTest {

    @Test
    void acceptsWhatTheWorkerSends() {
        NotifyLine.Checked ready = check("READY=1 WORKER=7 PID=4211 ADMIN_PORT=41234 SOCKET=99 SWAP_US=120 WAKE_US=3");
        assertThat(ready.problem().orElse(""), is(""));
        assertThat(ready.fields(), is(Map.of("READY", "1", "WORKER", "7", "PID", "4211", "ADMIN_PORT", "41234",
                                             "SOCKET", "99", "SWAP_US", "120", "WAKE_US", "3")));
        assertThat(check("SPARE=1 WORKER=7 PID=4211").valid(), is(true));
        assertThat(check("RECYCLE=max-requests WORKER=7").valid(), is(true));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // the forged line that used to end the loop with a NumberFormatException
            "READY=1 WORKER=7 ADMIN_PORT=abc           | ADMIN_PORT has an invalid value",
            "READY=1 WORKER=7 ADMIN_PORT=70000         | ADMIN_PORT must be a port",
            "READY=1 WORKER=7 ADMIN_PORT=0             | ADMIN_PORT has an invalid value",
            "READY=1 WORKER=7                          | READY needs ADMIN_PORT",
            // another worker's id: a same-uid process or one worker's code speaking for another
            "READY=1 WORKER=8 ADMIN_PORT=4000          | WORKER must be 7",
            "RECYCLE=max-requests WORKER=8             | WORKER must be 7",
            "RECYCLE=max-requests                      | WORKER must be 7",
            "READY=1 WORKER=7 PID=1 ADMIN_PORT=4000    | PID must be 4211",
            "READY=2 WORKER=7 ADMIN_PORT=4000          | READY has an invalid value",
            "READY=1 WORKER=7 WORKER=7 ADMIN_PORT=4000 | WORKER appears twice",
            "BIND SLOT=1                               | unknown field",
            "WORKER=7                                  | no READY, SPARE or RECYCLE",
            "HELLO=1 WORKER=7                          | unknown field \"HELLO\"",
            "RECYCLE=../../etc WORKER=7                | RECYCLE has an invalid value",
            "READY=1 WORKER=99999999999999999999 ADMIN_PORT=4000 | WORKER has an invalid value",
    })
    void refuses(String line, String problem) {
        NotifyLine.Checked checked = check(line);
        assertThat(checked.valid(), is(false));
        assertThat(checked.problem().orElseThrow(), containsString(problem));
    }

    @Test
    void refusesControlBytesAndOversizedLines() {
        assertThat(NotifyLine.check("READY=1 WORKER=7 ADMIN_PORT=4000\u0000".getBytes(StandardCharsets.ISO_8859_1), 7, 4211)
                           .problem().orElseThrow(), containsString("not printable ASCII (byte 0x00)"));
        assertThat(NotifyLine.check("RECYCLE=x WORKER=7 \u00e9".getBytes(StandardCharsets.UTF_8), 7, 4211)
                           .problem().orElseThrow(), containsString("not printable ASCII"));
        byte[] huge = ("RECYCLE=x WORKER=7 " + " ".repeat(NotifyLine.MAX_BYTES)).getBytes(StandardCharsets.US_ASCII);
        assertThat(NotifyLine.check(huge, 7, 4211).problem().orElseThrow(), containsString("longer than 4096 bytes"));
    }

    private static NotifyLine.Checked check(String line) {
        return NotifyLine.check(line.getBytes(StandardCharsets.US_ASCII), 7, 4211);
    }
}
