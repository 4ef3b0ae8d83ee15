package io.revenant.net;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

class ProcessesTest {

    @Test
    void sendsSignalsTheJdkCannot() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(Processes.signal(sleeper.pid(), Signal.USR1), is(true));
            assertThat(sleeper.waitFor(10, TimeUnit.SECONDS), is(true));
            assertThat(sleeper.exitValue(), is(128 + Signal.USR1.number()));
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void signallingAGoneProcessSaysSo() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        assertThat(Processes.signal(done.pid(), Signal.TERM), is(false));
    }

    @Test
    void countsOnlineCpus() {
        assertThat(Processes.onlineCpus(), greaterThan(0));
    }

    @Test
    void namesSignals() {
        assertThat(Signal.name(9), is("KILL"));
        assertThat(Signal.name(42), is("SIG42"));
    }
}
