package io.revenant.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the dev loop watches, as one poll sees it: every regular file under the roots with its
 * size and modification time. Polled rather than watched with inotify (WatchService), for the
 * reason the supervisor's ConfigWatcher polls: inotify misses edits through bind mounts and
 * needs a watch per directory, re-registered as directories come and go; a stat of a hundred
 * files every 300 ms costs nothing. A root that does not exist is an empty tree.
 *
 * @param files path to stamp, sorted, so two polls compare with {@code equals}
 */
record SourceTree(Map<Path, Stamp> files) {

    /** Size and modification time: an editor's save changes at least one of them. */
    record Stamp(long size, long modifiedNanos) {
    }

    static SourceTree scan(List<Path> roots) {
        Map<Path, Stamp> files = new TreeMap<>();
        for (Path root : roots) {
            if (Files.isRegularFile(root)) {
                stamp(root).ifPresent(stamp -> files.put(root, stamp));
                continue;
            }
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.forEach(path -> stamp(path).ifPresent(stamp -> files.put(path, stamp)));
            } catch (UncheckedIOException | IOException e) {
                // a directory removed during the walk: the next poll sees the tree as it settled
            }
        }
        return new SourceTree(files);
    }

    private static Optional<Stamp> stamp(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new Stamp(attributes.size(),
                    attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS)));
        } catch (IOException e) {
            // gone between the listing and the stat (an editor's rename): not there on this poll
            return Optional.empty();
        }
    }

    /** Files added, removed or changed from {@code before} to this tree. */
    Set<Path> changedSince(SourceTree before) {
        Set<Path> changed = new HashSet<>();
        files.forEach((path, stamp) -> {
            if (!stamp.equals(before.files.get(path))) {
                changed.add(path);
            }
        });
        before.files.keySet().stream().filter(path -> !files.containsKey(path)).forEach(changed::add);
        return changed;
    }
}
