package io.revenant.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
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

    @Test
    void emptyFileGivesDefaults() throws Exception {
        RevenantConfig config = ConfigLoader.load(write("# nothing\n"));
        assertThat(config.server(), is(new ServerConfig("0.0.0.0", 3000, 1024)));
        assertThat(config.supervisor().containers(), is(2));
        assertThat(config.supervisor().workers().isPresent(), is(false));
        assertThat(config.supervisor().restart(), is(RestartSetting.ALWAYS));
        assertThat(config.chaos().killEndpoint(), is(false));
        assertThat(config.admin(), is(new AdminConfig(true, "127.0.0.1", 9000)));
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
                """));
        assertThat(config.server(), is(new ServerConfig("127.0.0.1", 8080, 1024)));
        assertThat(config.supervisor().workers().getAsInt(), is(3));
        assertThat(config.supervisor().restart(), is(RestartSetting.ON_FAILURE));
        assertThat(config.supervisor().restartSec(), is(Duration.ofMillis(250)));
        assertThat(config.supervisor().timeoutStop(), is(Duration.ofSeconds(2)));
        assertThat(config.supervisor().watchdog(), is(Duration.ofMillis(1500)));
        assertThat(config.chaos().token().orElseThrow(), is("s3cret"));
        assertThat(config.worker().jvmOptions(), contains("-Xmx64m", "-XX:+UseSerialGC"));
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
        assertThat(errors.getFirst(), containsString("application.yaml: not valid YAML: "));
    }

    @Test
    void portOutOfRange() throws IOException {
        assertThat(errors("server:\n  port: 70000\n"), contains(
                containsString("application.yaml: server.port: must be an integer from 1 to 65535; got \"70000\"")));
    }

    @Test
    void wrongType() throws IOException {
        assertThat(errors("server:\n  port: http\n"), contains(
                containsString("server.port: must be an integer from 1 to 65535; got \"http\"")));
    }

    @Test
    void zeroWorkers() throws IOException {
        assertThat(errors("supervisor:\n  workers: 0\n"), contains(
                containsString("supervisor.workers: must be auto or an integer from 1 to 1024; got \"0\"")));
    }

    @Test
    void unknownKey() throws IOException {
        assertThat(errors("server:\n  prot: 3000\n"), contains(
                containsString("server.prot: unknown key; see the configuration table in README.md")));
    }

    @Test
    void badRestartPolicy() throws IOException {
        assertThat(errors("supervisor:\n  restart: sometimes\n"), contains(
                containsString("supervisor.restart: must be one of always, on-failure, no; got \"sometimes\"")));
    }

    @Test
    void badDuration() throws IOException {
        assertThat(errors("supervisor:\n  restart-sec: soon\n"), contains(containsString(
                "supervisor.restart-sec: must be a duration from 0s to 3600s (seconds, or with a unit: 500ms, 2s, 1min);"
                + " got \"soon\"")));
    }

    @Test
    void badBoolean() throws IOException {
        assertThat(errors("chaos:\n  kill-endpoint: maybe\n"), contains(
                containsString("chaos.kill-endpoint: must be true or false; got \"maybe\"")));
    }

    @Test
    void sectionWhereValueExpected() throws IOException {
        assertThat(errors("server:\n  port:\n    number: 3\n"), contains(
                containsString("server.port: must be a single value, not a section or a list")));
    }

    @Test
    void maxDelayBelowFirstDelay() throws IOException {
        assertThat(errors("supervisor:\n  restart-sec: 2\n  restart-max-delay-sec: 1\n"), contains(containsString(
                "supervisor.restart-max-delay-sec: must not be less than supervisor.restart-sec (2s); got 1s")));
    }

    @Test
    void minReadyAboveWorkers() throws IOException {
        assertThat(errors("supervisor:\n  workers: 2\n  min-ready: 3\n"), contains(
                containsString("supervisor.min-ready: must not exceed supervisor.workers (2); got 3")));
    }

    @Test
    void adminPortClashesWithServerPort() throws IOException {
        assertThat(errors("server:\n  port: 9000\n"), contains(
                containsString("admin.port: must differ from server.port (9000)")));
    }

    @Test
    void listsEveryProblemAtOnce() throws IOException {
        List<String> errors = errors("server:\n  port: 70000\nsupervisor:\n  workers: 0\n  bogus: 1\n");
        assertThat(errors, hasSize(3));
        assertThat(errors.get(0), containsString("server.port"));
        assertThat(errors.get(1), containsString("supervisor.workers"));
        assertThat(errors.get(2), containsString("supervisor.bogus: unknown key"));
    }
}
