package io.revenant.net;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PidFdTest {

    @Test
    void waitsForAnExitWithoutBlockingForEver() throws Exception {
        Process child = new ProcessBuilder("sh", "-c", "read line; exit 7").start();
        try (PidFd pidfd = PidFd.open(child.pid())) {
            assertThat("alive: the wait times out", pidfd.awaitExit(50), is(false));
            child.getOutputStream().close();   // EOF: the child exits
            assertThat(pidfd.awaitExit(10_000), is(true));
            assertThat("and stays readable", pidfd.awaitExit(0), is(true));
            assertThat(child.waitFor(10, TimeUnit.SECONDS), is(true));
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void seesAKillOfAProcessItDidNotStart() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        try (PidFd pidfd = PidFd.open(child.pid())) {
            Processes.signal(child.pid(), Signal.KILL);
            assertThat(pidfd.awaitExit(10_000), is(true));
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aProcessThatIsGoneCannotBeOpened() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        NativeCallException e = assertThrows(NativeCallException.class, () -> PidFd.open(done.pid()));
        assertThat(e.errno(), is(3));   // ESRCH
    }
}
