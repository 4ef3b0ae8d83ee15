package io.revenant.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.hasToString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("application.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private List<String> errors(String yaml) throws IOException {
        Path file = write(yaml);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    /**
     * Issue 13: this test checked 6 of the 28 defaults, which is how the README's start-limit
     * defaults drifted from the loader's. Every default is spelled here as a literal (not the
     * loader's constants), so a changed default fails this test and must be changed here too.
     */
    @Test
    void emptyFileGivesDefaults() throws Exception {
        Path file = write("# nothing\n");
        RevenantConfig expected = new RevenantConfig(
                file.toString(),
                new ServerConfig("0.0.0.0", 3000, 1024, Duration.ofSeconds(10), Duration.ofSeconds(75), 8192),
                new SupervisorConfig(2,                            // containers
                                     OptionalInt.empty(),          // workers: auto
                                     0,                            // reserve-cpus
                                     RestartSetting.ALWAYS,
                                     Duration.ofMillis(100),       // restart-sec
                                     5,                            // restart-steps
                                     Duration.ofSeconds(5),        // restart-max-delay-sec
                                     Duration.ofSeconds(10),       // restart-reset-sec
                                     10,                           // start-limit-burst
                                     Duration.ofSeconds(120),      // start-limit-interval-sec
                                     Duration.ofSeconds(30),       // timeout-start-sec
                                     Duration.ofSeconds(10),       // timeout-stop-sec
                                     Duration.ofSeconds(5),        // watchdog-sec
                                     1,                            // min-ready
                                     0),                           // spare
                new AdminConfig(true, "127.0.0.1", 9000),
                new ChaosConfig(false, Optional.empty()),
                new WorkerConfig(List.of(), 0, 0, 0, java.util.OptionalLong.empty()));
        assertThat(ConfigLoader.load(file), is(expected));
    }

    @Test
    void shippedConfigIsValid() throws Exception {
        RevenantConfig config = ConfigLoader.load(Path.of("config/application.yaml"));
        assertThat(config.server().port(), is(3000));
        assertThat(config.chaos().killEndpoint(), is(true));
    }

    @Test
    void readsEveryKind() throws Exception {
        RevenantConfig config = ConfigLoader.load(write("""
                server: {host: 127.0.0.1, port: 8080}
                supervisor:
                  workers: 3
                  restart: on-failure
                  restart-sec: 250ms
                  timeout-stop-sec: 2
                  watchdog-sec: 1.5
                chaos: {kill-endpoint: true, token: s3cret}
                worker:
                  jvm-options: [-Xmx64m, -XX:+UseSerialGC]
                  heap: 2g
                """));
        assertThat(config.server(), is(new ServerConfig("127.0.0.1", 8080, 1024)));
        assertThat(config.supervisor().workers().getAsInt(), is(3));
        assertThat(config.supervisor().restart(), is(RestartSetting.ON_FAILURE));
        assertThat(config.supervisor().restartSec(), is(Duration.ofMillis(250)));
        assertThat(config.supervisor().timeoutStop(), is(Duration.ofSeconds(2)));
        assertThat(config.supervisor().watchdog(), is(Duration.ofMillis(1500)));
        assertThat(config.chaos().token().orElseThrow(), is("s3cret"));
        assertThat(config.worker().jvmOptions(), contains("-Xmx64m", "-XX:+UseSerialGC"));
        assertThat(config.worker().heapMib().getAsLong(), is(2048L));
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("nope.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertThat(e.errors().getFirst().toString(), is(file + ": no such file; pass the path of an application.yaml"
                                                        + " (make run CONFIG=path/to/file.yaml)"));
    }

    @Test
    void brokenYaml() throws IOException {
        List<String> errors = errors("server:\n  port: [3000\n");
        assertThat(errors, hasSize(1));
        // issue 11 finding 6: a syntax error names its line and column, without a stack trace
        assertThat(errors.getFirst(), containsString("application.yaml: line 3, column 1: not valid YAML: "));
    }

    /** One wrong value, one error: the file, the key, what is allowed, and what was given. */
    static Stream<Arguments> oneMistakeOneError() {
        return Stream.of(
                Arguments.of("portOutOfRange", "server:\n  port: 70000\n",
                             "application.yaml: server.port: must be an integer from 1 to 65535; got \"70000\""),
                Arguments.of("wrongType", "server:\n  port: http\n",
                             "server.port: must be an integer from 1 to 65535; got \"http\""),
                Arguments.of("zeroWorkers", "supervisor:\n  workers: 0\n",
                             "supervisor.workers: must be auto or an integer from 1 to 1024; got \"0\""),
                Arguments.of("negativeReserveCpus", "supervisor:\n  reserve-cpus: -1\n",
                             "supervisor.reserve-cpus: must be an integer from 0 to 1024; got \"-1\""),
                Arguments.of("fractionalReserveCpus", "supervisor:\n  reserve-cpus: 0.5\n",
                             "supervisor.reserve-cpus: must be an integer from 0 to 1024; got \"0.5\""),
                Arguments.of("unknownKey", "server:\n  prot: 3000\n",
                             "server.prot: unknown key; see the configuration table in README.md"),
                Arguments.of("badRestartPolicy", "supervisor:\n  restart: sometimes\n",
                             "supervisor.restart: must be one of always, on-failure, no; got \"sometimes\""),
                Arguments.of("badDuration", "supervisor:\n  restart-sec: soon\n",
                             "supervisor.restart-sec: must be a duration from 0s to 3600s (seconds, or with a unit: 500ms, 2s, 1min);" + " got \"soon\""),
                Arguments.of("badBoolean", "chaos:\n  kill-endpoint: maybe\n",
                             "chaos.kill-endpoint: must be true or false; got \"maybe\""),
                Arguments.of("sectionWhereValueExpected", "server:\n  port:\n    number: 3\n",
                             "server.port: must be a single value, not a section or a list"),
                Arguments.of("maxDelayBelowFirstDelay", "supervisor:\n  restart-sec: 2\n  restart-max-delay-sec: 1\n",
                             "supervisor.restart-max-delay-sec: must not be less than supervisor.restart-sec (2s); got 1s"),
                Arguments.of("minReadyAboveWorkers", "supervisor:\n  workers: 2\n  min-ready: 3\n",
                             "supervisor.min-ready: must not exceed supervisor.workers (2); got 3"),
                Arguments.of("adminPortClashesWithServerPort", "server:\n  port: 9000\n",
                             "admin.port: must differ from server.port (9000)"),
                Arguments.of("duplicateKeyInOneBlockNamesItsPath", "supervisor:\n  workers: 2\n  spare: 1\n  workers: 1\n",
                             "supervisor.workers: duplicate key (lines 2 and 4)"),
                Arguments.of("blankJvmOptionIsAnError", "worker:\n  jvm-options: [-Xmx64m, \"\"]\n",
                             "worker.jvm-options.1: must not be empty; remove the item"),
                Arguments.of("controlCharacterInAValueIsAnError", "worker:\n  jvm-options: [\"-Xmx64m\\0\"]\n",
                             "worker.jvm-options.0: must not contain control characters; got U+0000 at character 8"),
                Arguments.of("emptySectionNamesItsKeys", "chaos:\n",
                             "chaos: is a section (such as chaos.kill-endpoint), not a value; remove it or give it keys"),
                Arguments.of("recursiveAliasIsAnErrorNotAStackOverflow", "worker:\n  jvm-options: &x [*x]\n",
                             "worker.jvm-options.0: line 2, column 16: an alias that contains itself is not allowed"),
                Arguments.of("tagsAreRefusedWithTheirLine", "server:\n  port: !!float 3000\n",
                             "server.port: line 2, column 9: YAML tags such as !!float are not allowed"),
                Arguments.of("heapWithoutUnitIsRefused", "worker:\n  heap: 48\n",
                             "worker.heap: must be auto or a size from 8m to 1048576m, in m or g (48m, 1g); got \"48\""),
                Arguments.of("heapBelowTheFloorIsRefused", "worker:\n  heap: 4m\n",
                             "worker.heap: must be auto or a size from 8m to 1048576m, in m or g (48m, 1g); got \"4m\""),
                Arguments.of("fileThatIsNotAMappingIsRefused", "- server\n",
                             "line 1, column 1: the file must be a mapping of keys"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void oneMistakeOneError(String mistake, String yaml, String error) throws IOException {
        assertThat(errors(yaml), contains(containsString(error)));
    }

    @Test
    void listsEveryProblemAtOnce() throws IOException {
        List<String> errors = errors("server:\n  port: 70000\nsupervisor:\n  workers: 0\n  bogus: 1\n");
        assertThat(errors, hasSize(3));
        assertThat(errors.get(0), containsString("server.port"));
        assertThat(errors.get(1), containsString("supervisor.workers"));
        assertThat(errors.get(2), containsString("supervisor.bogus: unknown key"));
    }

    // ---- issue 11 finding 3: a config file of 4 MB or more killed the supervisor (OOM, exit 1) ----

    private Path sized(long bytes) throws IOException {
        Path file = dir.resolve("big.yaml");
        try (var out = Files.newBufferedWriter(file)) {
            out.write("server:\n  port: 3000\n");
            String comment = "# " + "x".repeat(1021) + "\n";
            for (long written = 0; written < bytes; written += comment.length()) {
                out.write(comment);
            }
        }
        return file;
    }

    /** Bytes this thread allocated while running {@code action}: a bounded read allocates about the cap. */
    private static long allocatedBy(org.junit.jupiter.api.function.Executable action) {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        assertThrows(ConfigException.class, action);
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void fourMegabyteFileIsRefusedNamingSizeAndCap() throws IOException {
        Path file = sized(4L << 20);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertThat(e.errors().toString(), e.errors(), hasSize(1));
        assertThat(e.errors().getFirst().toString(), is(file + ": file is " + Files.size(file)
                                                        + " bytes; the limit is 1048576 bytes (1 MiB)"));
    }

    @Test
    void fiftyMegabyteFileIsRefusedWithoutReadingItWhole() throws IOException {
        Path file = sized(50L << 20);
        // the old code read it whole (readAllBytes: 50 MB, then as text twice that)
        long allocated = allocatedBy(() -> ConfigLoader.load(file));
        assertThat("bytes allocated to refuse a 50 MB file: " + allocated, allocated < 8L << 20, is(true));
    }

    @Test
    void fileAtTheCapIsRead() throws Exception {
        Path file = sized(ConfigLoader.MAX_BYTES - 2048);
        assertThat(ConfigLoader.load(file).server().port(), is(3000));
    }

    @Test
    void yamlTextOverTheCapIsRefused() {
        String yaml = "server:\n  port: 3000\n# " + "é".repeat(ConfigLoader.MAX_BYTES / 2) + "\n";
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadYaml(yaml, "pod.yaml"));
        assertThat(e.errors().getFirst().toString(), containsString("pod.yaml: file is "));
        assertThat(e.errors().getFirst().toString(), containsString("the limit is 1048576 bytes (1 MiB)"));
    }

    // ---- issue 11 finding 6: config mistakes silently widened exposure ----

    @Test
    void duplicateServerBlockIsAnError() throws IOException {
        // before: accepted, and the second block won: the service listened on *:4001, host lost
        assertThat(errors("server:\n  host: 127.0.0.1\n  port: 4001\nserver:\n  port: 4001\n"), contains(
                is(dir.resolve("application.yaml") + ": server: duplicate key (lines 1 and 4);"
                   + " YAML would silently keep only the last one")));
    }

    @Test
    void emptyHostIsAnErrorNotEveryInterface() throws IOException {
        // before: "" became the default 0.0.0.0
        assertThat(errors("server:\n  host: \"\"\n"), contains(
                containsString("server.host: must not be empty; remove the key for the default (0.0.0.0)")));
        assertThat(errors("admin:\n  host: \"\"\n"), contains(
                containsString("admin.host: must not be empty; remove the key for the default (127.0.0.1)")));
    }

    @Test
    void hostWithoutValueIsAnError() throws IOException {
        assertThat(errors("server:\n  host:\n  port: 3000\n"), contains(containsString("server.host: must not be empty")));
        assertThat(errors("server:\n  port: ~\n"), contains(containsString("server.port: must not be empty")));
    }

    @Test
    void emptyTokenIsAnErrorNeverAuthOff() throws IOException {
        // before: token: "" turned the kill endpoint's authentication off
        assertThat(errors("chaos:\n  kill-endpoint: true\n  token: \"\"\n"), contains(containsString(
                "chaos.token: must not be empty: an empty token would turn the authentication off")));
        assertThat(errors("chaos:\n  kill-endpoint: true\n  token: \"  \"\n"), contains(containsString(
                "chaos.token: must be visible ASCII without spaces")));
    }

    @Test
    void tokenThatNoClientCanSendIsAnError() throws IOException {
        assertThat(errors("chaos:\n  token: \"ab\\0cd\"\n"), contains(containsString(
                "chaos.token: must be visible ASCII without spaces (it is sent in an Authorization header);"
                + " character 3 of 5 is U+0000")));
        assertThat(errors("chaos:\n  token: ünïcode\n"), contains(containsString("character 1 of 7 is U+00FC")));
    }

    @Test
    void invalidUtf8InTokenNamesTheLineNotReplaced() throws IOException {
        // before: the bytes became U+FFFD and the token was accepted
        Path file = dir.resolve("application.yaml");
        Files.write(file, "chaos:\n  kill-endpoint: true\n  token: \"ab\u00ff\u00fecd\"\n".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertThat(e.errors().toString(), e.errors(), contains(hasToString(
                file + ": line 3, column 13: not valid UTF-8 (byte 0xFF); save the file as UTF-8")));
    }

    @Test
    void reloadRefusesAFileWithoutSettings() throws Exception {
        // issue 11 finding 6: a file cut to its first line (a comment) was applied as every default
        Path file = write("# Revenant: the one file that describes the service.\n");
        assertThat(ConfigLoader.load(file).supervisor().workers().isPresent(), is(false));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadForReload(file));
        assertThat(e.errors().getFirst().toString(), containsString(
                "the file holds no setting (empty, or comments only); a reload needs the whole file"));
        Files.writeString(file, "");
        assertThrows(ConfigException.class, () -> ConfigLoader.loadForReload(file));
        Files.writeString(file, "supervisor:\n  workers: 2\n");
        assertThat(ConfigLoader.loadForReload(file).supervisor().workers().getAsInt(), is(2));
    }
}
