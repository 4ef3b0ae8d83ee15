package io.revenant.bench;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class StartBreakdownTest {

    @TempDir
    Path dir;

    @Test
    void mediansPerStepAfterTheSkippedStarts() throws Exception {
        Path log = dir.resolve("run.log");
        Files.writeString(log, """
                [worker 1] 2026-12-02T05:00:00Z event=worker-start-steps worker=1 pid=10 main-ms=900.0 main-cpu-ms=900 ready-ms=1.0 ready-cpu-ms=0 total-ms=901.0 cpu-ms=900
                2026-12-02T05:00:01Z event=worker-ready slot=1 worker=1 pid=10 start-ms=910
                [worker 2] 2026-12-02T05:00:02Z event=worker-start-steps worker=2 pid=11 main-ms=80.0 main-cpu-ms=70 ready-ms=2.0 ready-cpu-ms=10 total-ms=82.0 cpu-ms=80
                [worker 3] 2026-12-02T05:00:03Z event=worker-start-steps worker=3 pid=12 main-ms=100.0 main-cpu-ms=90 ready-ms=4.0 ready-cpu-ms=10 total-ms=104.0 cpu-ms=100
                """);
        StartBreakdown breakdown = StartBreakdown.read(log, 1);
        assertThat(breakdown.starts(), is(2));
        assertThat(breakdown.medianCpuMs(), is(90.0));
        assertThat(breakdown.cell(), is("main 90 / 80 · ready 3 / 10 · total 93 / 90 ms (median wall / CPU, n=2)"));
    }
}
