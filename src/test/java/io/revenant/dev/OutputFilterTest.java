package io.revenant.dev;

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class OutputFilterTest {

    @ParameterizedTest(name = "{0} -> hidden={1}")
    @CsvSource(delimiter = '|', value = {
            // the routine of a start or a rolling replacement: summed up by the dev loop's own line
            "event=worker-spawn slot=1 worker=4 pid=9 reason=replace | true",
            "event=worker-ready slot=1 worker=4 pid=9 start-ms=900   | true",
            "event=worker-stop slot=1 worker=1 pid=7 reason=replaced | true",
            "event=worker-exit slot=1 worker=1 pid=7 code=0 cause=requested | true",
            "event=spare-exit slot=0 worker=3 pid=8 code=0 cause=requested | true",
            "event=signal name=HUP stopping=false                     | true",
            "event=reload origin=signal file=a.yaml workers=2 replace=2 | true",
            "[worker 3] [0.015s][error][aot] Loading static archive failed. | true",
            // what a person must see
            "event=worker-exit slot=1 worker=4 pid=9 code=1 cause=crash | false",
            "event=replace-failed slot=1 worker=4                   | false",
            "event=reload-rejected origin=signal key=server.port    | false",
            "event=reload origin=file file=a.yaml workers=2 replace=2 | false",
            "event=signal name=TERM stopping=false                  | false",
            "event=supervisor-start workers=2 port=3000             | false",
            "[worker 3] Exception in thread \"main\" java.lang.Error | false",
    })
    void hides(String line, boolean hidden) {
        String full = line.startsWith("event=") ? Instant.EPOCH + " " + line : line;
        assertThat(OutputFilter.hidden(full, EventFields.parse(full)), is(hidden));
    }
}
