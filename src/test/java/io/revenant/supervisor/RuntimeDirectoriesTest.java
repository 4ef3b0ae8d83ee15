package io.revenant.supervisor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.revenant.testing.Await;

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
        // a SIGKILLed supervisor's: its lock file is there, and nobody holds it any more
        Path stale = Files.createDirectory(base.resolve("revenant-" + dead + "-123"));
        Files.writeString(stale.resolve("notify.sock"), "");
        Files.writeString(stale.resolve(RuntimeDirectories.LOCK), "");
        Path live = RuntimeDirectories.create(base);              // this JVM: a running supervisor
        // a live supervisor in another PID namespace: its pid means nothing here, its lock does
        Path elsewhere = Files.createDirectory(base.resolve("revenant-1-456"));
        Path held = elsewhere.resolve(RuntimeDirectories.LOCK);
        Files.writeString(held, "");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), held.toString()).start();
        Path legacy = Files.createDirectory(base.resolve("revenant-8472617"));   // no pid, no lock: whose is it?
        Path unlocked = Files.createDirectory(base.resolve("revenant-" + dead + "-789"));   // no lock file
        Path other = Files.createDirectory(base.resolve("unrelated-" + dead + "-1"));
        Path outside = Files.createDirectory(base.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "");
        Path link = Files.createSymbolicLink(base.resolve("revenant-" + dead + "-link"), outside);
        try {
            awaitHeld(held);
            List<Path> removed = RuntimeDirectories.sweep(base);

            assertThat(removed, contains(stale));
            assertThat(Files.exists(stale), is(false));
            assertThat(Files.isDirectory(live), is(true));
            assertThat(Files.isDirectory(elsewhere), is(true));
            assertThat(Files.isDirectory(legacy), is(true));
            assertThat(Files.isDirectory(unlocked), is(true));
            assertThat(Files.isDirectory(other), is(true));
            assertThat(Files.exists(link), is(true));
            assertThat(Files.exists(outside.resolve("keep")), is(true));
        } finally {
            holder.destroyForcibly().waitFor();
        }
        // once its holder is gone, the other namespace's directory is a leftover too
        assertThat(RuntimeDirectories.sweep(base), contains(elsewhere));
    }

    /** Waits, with a deadline, until another process holds the lock on a file. */
    private static void awaitHeld(Path lockFile) {
        Await.until("another process holds " + lockFile, Duration.ofSeconds(10), () -> {
            try {
                return !RuntimeDirectories.abandoned(lockFile.getParent());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** The pid of a process that has exited and been reaped. */
    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }
}
