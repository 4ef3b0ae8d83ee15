package io.revenant.supervisor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

class AotCacheOptionTest {

    @TempDir
    Path dir;

    private static final List<String> OPTIONS = List.of("-XX:+UseSerialGC", "-XX:AOTCache=aot/worker.aot");

    @Test
    void aMissingCacheIsNamedAndDropped() {
        assertThat(AotCacheOption.problem(OPTIONS, dir, Optional.empty()), is(Optional.of("missing")));
        assertThat(AotCacheOption.cache(OPTIONS, dir), is(Optional.of(dir.resolve("aot/worker.aot"))));
        assertThat(AotCacheOption.without(OPTIONS), contains("-XX:+UseSerialGC"));
    }

    @Test
    void aCacheOlderThanTheJarIsStale() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("aot")).resolve("worker.aot");
        Files.writeString(cache, "cache");
        Path jar = Files.writeString(dir.resolve("revenant.jar"), "jar");
        Files.setLastModifiedTime(cache, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-01-02T00:00:00Z")));
        assertThat(AotCacheOption.problem(OPTIONS, dir, Optional.of(jar)).orElseThrow(), startsWith("older than"));
        Files.setLastModifiedTime(cache, FileTime.from(Instant.parse("2026-01-03T00:00:00Z")));
        assertThat(AotCacheOption.problem(OPTIONS, dir, Optional.of(jar)), is(Optional.empty()));
    }

    @Test
    void noCacheConfiguredIsNoProblem() {
        assertThat(AotCacheOption.problem(List.of("-Xss512k"), dir, Optional.empty()), is(Optional.empty()));
    }
}
