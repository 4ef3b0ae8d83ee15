package io.revenant.supervisor;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/** The one /proc reader the supervisor, the bench and the soak share: this JVM's own figures, and -1 for no process. */
class ProcStatusTest {

    private static final long SELF = ProcessHandle.current().pid();
    /** Above Linux's pid_max limit (4194304), so never a process. */
    private static final long NO_SUCH_PID = 4_194_305;

    @Test
    void readsThisJvmsRssAndThreads() {
        // a running JVM has megabytes resident and more than its main thread
        assertThat(ProcStatus.rssKib(SELF), greaterThan(1024L));
        assertThat(ProcStatus.threads(SELF), greaterThan(1L));
    }

    @Test
    void aProcessThatDoesNotExistReadsMinusOne() {
        assertThat(ProcStatus.rssKib(NO_SUCH_PID), is(-1L));
        assertThat(ProcStatus.threads(NO_SUCH_PID), is(-1L));
        assertThat(ProcStatus.zombie(NO_SUCH_PID), is(false));
    }
}
