package io.revenant.supervisor;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The supervisor's private runtime directory ({@code notify.sock}, {@code listen.sock}) is
 * {@code <tmpdir>/revenant-<pid>-<random>}, mode 0700. A supervisor that is SIGKILLed cannot
 * remove it, so the next one removes every such directory of this user whose supervisor is gone.
 * The pid in the name is what tells a leftover from a directory a running supervisor (a second
 * one during an upgrade, or another checkout) still uses. Directories named without a pid, by
 * older versions, are never touched: nothing says whose they are.
 */
final class RuntimeDirectories {

    static final String PREFIX = "revenant-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-[^/]+");

    private RuntimeDirectories() {
    }

    /** A new runtime directory in {@code java.io.tmpdir}, 0700, its name carrying this process's pid. */
    static Path create() throws IOException {
        return create(Path.of(System.getProperty("java.io.tmpdir")));
    }

    static Path create(Path base) throws IOException {
        return Files.createTempDirectory(base, PREFIX + ProcessHandle.current().pid() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** Removes the leftovers in {@code java.io.tmpdir}; see {@link #sweep(Path)}. */
    static List<Path> sweep() throws IOException {
        return sweep(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * Removes every {@code revenant-<pid>-*} directory in {@code base} that belongs to this user and
     * whose supervisor is gone: no process {@code pid}, or a process that started after the
     * directory was made (the pid was reused). A directory that cannot be removed is skipped.
     *
     * @return the directories removed
     */
    static List<Path> sweep(Path base) throws IOException {
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base, PREFIX + "*")) {
            for (Path dir : entries) {
                Matcher name = NAME.matcher(dir.getFileName().toString());
                if (!name.matches() || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try {
                    BasicFileAttributes attributes = Files.readAttributes(dir, BasicFileAttributes.class,
                                                                          LinkOption.NOFOLLOW_LINKS);
                    if (uid.equals(Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS))
                        && !ownerAlive(Long.parseLong(name.group(1)), attributes.lastModifiedTime().toInstant())) {
                        deleteTree(dir);
                        removed.add(dir);
                    }
                } catch (IOException | NumberFormatException e) {
                    // gone meanwhile, not ours to read, or a pid too large: leave it
                }
            }
        }
        return removed;
    }

    /**
     * Whether the process {@code pid} may be the directory's supervisor. The directory's mtime is
     * no earlier than its creation (sockets are added later), so a process that started after it
     * cannot have made it; an unknown start time counts as alive.
     */
    static boolean ownerAlive(long pid, Instant dirModified) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        return process.get().info().startInstant().map(start -> !start.isAfter(dirModified)).orElse(true);
    }

    private static void deleteTree(Path dir) throws IOException {
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
