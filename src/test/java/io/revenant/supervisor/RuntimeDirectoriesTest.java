package io.revenant.supervisor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/** issue 11 finding 8: a SIGKILLed supervisor left its /tmp/revenant-* directory behind. */
class RuntimeDirectoriesTest {

    @TempDir
    Path base;

    @Test
    void createsA0700DirectoryNamedWithThePid() throws Exception {
        Path dir = RuntimeDirectories.create(base);
        assertThat(dir.getParent(), is(base));
        assertThat(dir.getFileName().toString(), startsWith("revenant-" + ProcessHandle.current().pid() + "-"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)), is("rwx------"));
    }

    @Test
    void removesTheDirectoriesOfDeadSupervisorsOnly() throws Exception {
        long dead = deadPid();
        Path stale = Files.createDirectory(base.resolve("revenant-" + dead + "-123"));
        Files.writeString(stale.resolve("notify.sock"), "");   // a socket file left behind, as after SIGKILL
        Path live = RuntimeDirectories.create(base);              // this JVM: a running supervisor
        Path legacy = Files.createDirectory(base.resolve("revenant-8472617"));   // no pid: whose is it?
        Path other = Files.createDirectory(base.resolve("unrelated-" + dead + "-1"));
        Path outside = Files.createDirectory(base.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "");
        Path link = Files.createSymbolicLink(base.resolve("revenant-" + dead + "-link"), outside);

        List<Path> removed = RuntimeDirectories.sweep(base);

        assertThat(removed, contains(stale));
        assertThat(Files.exists(stale), is(false));
        assertThat(Files.isDirectory(live), is(true));
        assertThat(Files.isDirectory(legacy), is(true));
        assertThat(Files.isDirectory(other), is(true));
        assertThat(Files.exists(link), is(true));
        assertThat(Files.exists(outside.resolve("keep")), is(true));
    }

    @Test
    void aReusedPidDoesNotKeepADirectory() throws Exception {
        long self = ProcessHandle.current().pid();
        Instant started = ProcessHandle.current().info().startInstant().orElseThrow();
        assertThat(RuntimeDirectories.ownerAlive(self, Instant.now()), is(true));
        // a directory last changed before this process started cannot be this process's
        assertThat(RuntimeDirectories.ownerAlive(self, started.minusSeconds(60)), is(false));
        assertThat(RuntimeDirectories.ownerAlive(deadPid(), Instant.now()), is(false));
    }

    /** The pid of a process that has exited and been reaped. */
    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }
}
