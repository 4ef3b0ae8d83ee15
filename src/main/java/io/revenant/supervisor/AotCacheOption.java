package io.revenant.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The worker's {@code -XX:AOTCache=FILE} option, checked before a worker is started: a missing
 * file makes every worker JVM print three {@code [error][aot]} lines, and a cache older than the
 * jar it was trained on is refused by the JVM (its classes changed). Either way the option is
 * dropped, the worker starts without a cache (slower, still correct), and the supervisor says so
 * once, in its own words, with how to retrain.
 */
final class AotCacheOption {

    private static final String PREFIX = "-XX:AOTCache=";

    private AotCacheOption() {
    }

    /** Why the configured cache cannot be used (for the log line), or empty when it can or none is configured. */
    static Optional<String> problem(List<String> jvmOptions, Path workingDirectory, Optional<Path> jar) {
        Optional<Path> cache = cache(jvmOptions, workingDirectory);
        if (cache.isEmpty()) {
            return Optional.empty();
        }
        Path file = cache.get();
        if (!Files.isRegularFile(file)) {
            return Optional.of("missing");
        }
        try {
            if (jar.isPresent() && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(jar.get())) < 0) {
                return Optional.of("older than " + jar.get() + " (trained on a previous build)");
            }
        } catch (IOException e) {
            return Optional.empty();   // the JVM still checks the cache itself
        }
        return Optional.empty();
    }

    /** The file the options name, resolved against the worker's working directory. */
    static Optional<Path> cache(List<String> jvmOptions, Path workingDirectory) {
        return jvmOptions.stream().filter(o -> o.startsWith(PREFIX)).reduce((first, last) -> last)
                .map(o -> workingDirectory.resolve(o.substring(PREFIX.length())));
    }

    /** The options without the cache. */
    static List<String> without(List<String> jvmOptions) {
        return jvmOptions.stream().filter(o -> !o.startsWith(PREFIX)).toList();
    }

    /** The jar this supervisor runs from (its workers share its classpath), if it runs from one. */
    static Optional<Path> runningJar() {
        String classpath = System.getProperty("java.class.path", "");
        String first = classpath.split(java.io.File.pathSeparator)[0];
        return first.endsWith(".jar") ? Optional.of(Path.of(first)) : Optional.empty();
    }
}
