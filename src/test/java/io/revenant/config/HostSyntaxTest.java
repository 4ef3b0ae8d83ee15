package io.revenant.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** issue 11 finding 8: host 999.1.1.1 was taken for a name and sent to DNS. */
class HostSyntaxTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0.0.0.0            | ok
            127.0.0.1          | ok
            255.255.255.255    | ok
            999.1.1.1          | not an IPv4 address
            256.0.0.1          | not an IPv4 address
            1.2.3              | not an IPv4 address
            1.2.3.4.5          | not an IPv4 address
            127.0.0.1.         | not an IPv4 address
            ::                 | ok
            ::1                | ok
            fe80::1%1          | ok
            ::g                | not an IPv6 address
            1:2:3:4:5:6:7:8:9  | not an IPv6 address
            localhost          | ok
            app.example.com    | ok
            app.example.com.   | ok
            revenant_app1      | ok
            xn--bcher-kva.ch   | ok
            -bad.example       | not a valid host name
            bad..example       | not a valid host name
            has space          | not a valid host name
            under/slash        | not a valid host name
            """)
    void judgesTheShapeOnly(String host, String expected) {
        Optional<String> problem = HostSyntax.problem(host);
        assertThat(problem.map(p -> p.substring(p.lastIndexOf('(') + 1, p.length() - 1)).orElse("ok"), is(expected));
    }

    @Test
    void theLoaderRejectsBothHostsWithKeyValueAndWhatIsAllowed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("application.yaml");
        Files.writeString(file, "server: {host: 999.1.1.1}\nadmin: {host: \"::g\"}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertThat(e.errors().stream().map(ConfigError::toString).toList(), contains(
                file + ": server.host: " + HostSyntax.ALLOWED + "; got \"999.1.1.1\" (not an IPv4 address)",
                file + ": admin.host: " + HostSyntax.ALLOWED + "; got \"::g\" (not an IPv6 address)"));
    }
}
