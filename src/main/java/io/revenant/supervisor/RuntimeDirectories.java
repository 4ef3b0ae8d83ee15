package io.revenant.supervisor;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The supervisor's private runtime directory ({@code notify.sock}, {@code listen.sock}) is
 * {@code <tmpdir>/revenant-<pid>-<random>}, mode 0700. A supervisor that is SIGKILLed cannot
 * remove it, so the next one removes every such directory of this user whose supervisor is gone.
 *
 * <p>Whose it is, is told by a lock, not by the pid in the name: the supervisor holds an
 * exclusive lock on {@code owner.lock} inside for its whole life, and the kernel drops it when
 * the process dies, however it dies. A pid cannot tell: a supervisor in its own PID namespace
 * (a container with a shared /tmp, the namespace tests) sees other pids as absent, and pid 1
 * is always "alive". The pid in the name is only for a person reading {@code ls /tmp}.
 * Directories without a lock file (older versions, or one being made right now) are never
 * touched: nothing says whose they are.
 */
final class RuntimeDirectories {

    static final String PREFIX = "revenant-";
    static final String LOCK = "owner.lock";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "\\d+-[^/]+");
    /** The locks this process holds: open for its life, released by the kernel when it ends. */
    private static final List<FileChannel> HELD = new ArrayList<>();

    private RuntimeDirectories() {
    }

    /** A new runtime directory in {@code java.io.tmpdir}, 0700, locked by this process. */
    static Path create() throws IOException {
        return create(Path.of(System.getProperty("java.io.tmpdir")));
    }

    static Path create(Path base) throws IOException {
        // made under a name no sweep matches, and renamed once locked: a sweep never sees it unlocked
        Path making = Files.createTempDirectory(base, PREFIX + "new-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        FileChannel lock = FileChannel.open(making.resolve(LOCK), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        lock.lock();
        synchronized (HELD) {
            HELD.add(lock);
        }
        Path dir = base.resolve(PREFIX + ProcessHandle.current().pid() + making.getFileName().toString()
                .substring((PREFIX + "new").length()));
        return Files.move(making, dir, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes the leftovers in {@code java.io.tmpdir}; see {@link #sweep(Path)}. */
    static List<Path> sweep() throws IOException {
        return sweep(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * Removes every {@code revenant-<pid>-*} directory in {@code base} that belongs to this user
     * and whose {@code owner.lock} nobody holds. A directory that cannot be removed is skipped.
     *
     * @return the directories removed
     */
    static List<Path> sweep(Path base) throws IOException {
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base, PREFIX + "*")) {
            for (Path dir : entries) {
                if (!NAME.matcher(dir.getFileName().toString()).matches()
                    || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try {
                    if (uid.equals(Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS)) && abandoned(dir)) {
                        deleteTree(dir);
                        removed.add(dir);
                    }
                } catch (IOException e) {
                    // gone meanwhile, or not ours to read: leave it
                }
            }
        }
        return removed;
    }

    /** Whether {@code dir} has a lock file that no living process holds. */
    static boolean abandoned(Path dir) throws IOException {
        Path lockFile = dir.resolve(LOCK);
        if (!Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return false;
            }
            lock.release();
            return true;
        } catch (OverlappingFileLockException heldHere) {
            return false;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        // walkFileTree does not follow links: a link inside is removed, never its target
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
