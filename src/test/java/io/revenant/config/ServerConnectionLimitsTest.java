package io.revenant.config;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Issue 11 finding 7: server.header-timeout, server.idle-timeout and server.max-connections, their defaults and ranges. */
class ServerConnectionLimitsTest {

    @Test
    void defaults() throws ConfigException {
        ServerConfig server = ConfigLoader.loadYaml("server: {port: 3000}\n", "t.yaml").server();
        assertThat(server.headerTimeout(), is(Duration.ofSeconds(10)));
        assertThat(server.idleTimeout(), is(Duration.ofSeconds(75)));
        assertThat(server.maxConnections(), is(8192));
    }

    @Test
    void set() throws ConfigException {
        ServerConfig server = ConfigLoader.loadYaml(
                "server: {header-timeout: 500ms, idle-timeout: 2min, max-connections: 100}\n", "t.yaml").server();
        assertThat(server, is(new ServerConfig("0.0.0.0", 3000, 1024, Duration.ofMillis(500), Duration.ofMinutes(2), 100)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "header-timeout: 50ms; server.header-timeout: must be a duration from 100ms to 3600s",
            "header-timeout: 2h; server.header-timeout: must be a duration from 100ms to 3600s",
            "idle-timeout: 0; server.idle-timeout: must be a duration from 100ms to 3600s",
            "idle-timeout: soon; server.idle-timeout: must be a duration from 100ms to 3600s",
            "max-connections: 0; server.max-connections: must be an integer from 1 to 1000000",
            "max-connections: many; server.max-connections: must be an integer from 1 to 1000000"})
    void outOfRange(String line, String message) {
        ConfigException e = assertThrows(ConfigException.class,
                                         () -> ConfigLoader.loadYaml("server:\n  " + line + "\n", "t.yaml"));
        assertThat(e.errors().stream().map(error -> error.toString().replaceAll(" \\(.*|; got.*", "")).toList(),
                   contains("t.yaml: " + message));
    }
}
