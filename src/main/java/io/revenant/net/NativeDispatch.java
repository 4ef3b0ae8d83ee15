package io.revenant.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

import com.sun.jna.Platform;

/**
 * JNA's native half ({@code libjnidispatch}), unpacked once by the supervisor for all its workers.
 *
 * <p>Without it, every JVM that first touches JNA inflates the library out of the JNA jar into a
 * temporary file, loads it and deletes it: about 6 % of a worker's start CPU, measured with a
 * sampling profiler over 12 starts (issue 14). A worker given {@link #PROPERTY} loads the copy
 * straight from the supervisor's private runtime directory instead. JNA checks that the library
 * matches its jar, so a copy from the same jar is always accepted.
 */
public final class NativeDispatch {

    /** The JNA system property naming where to look first for {@code libjnidispatch}. */
    public static final String PROPERTY = "jna.boot.library.path";

    private NativeDispatch() {
    }

    /**
     * Copies this platform's {@code libjnidispatch} out of the JNA jar into {@code directory}
     * (renamed into place, so a worker never loads half a file).
     *
     * @return the directory to name in {@link #PROPERTY}, or empty when the jar has no library for
     *         this platform (JNA then finds its own, as it always did)
     */
    public static Optional<Path> unpackInto(Path directory) throws IOException {
        String name = System.mapLibraryName("jnidispatch");
        String resource = "com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + name;
        try (InputStream in = Platform.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            Files.createDirectories(directory);
            Path partial = Files.createTempFile(directory, name, ".part");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return Optional.of(directory);
        }
    }
}
