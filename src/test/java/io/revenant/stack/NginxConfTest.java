package io.revenant.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NginxConfTest {

    static final Path TEMPLATE = Path.of("nginx/revenant.conf.template");

    static StackSettings stack(int containers, Duration watchdog) {
        return new StackSettings("revenant", "revenant:1.0", "nginx:1.27", containers, 3000, 9000, true,
                                 "127.0.0.1", 3000, 3333, Path.of("/srv/config"), watchdog, Duration.ofSeconds(10),
                                 true);
    }

    @Test
    void everyContainerIsAnUpstreamServerEightTimes() throws IOException {
        String conf = NginxConf.render(stack(3, Duration.ofSeconds(5)), Files.readString(TEMPLATE));
        List<String> servers = conf.lines().map(String::strip).filter(line -> line.startsWith("server app")).toList();
        List<String> expected = new java.util.ArrayList<>();
        for (int round = 0; round < 8; round++) {
            expected.addAll(List.of("app1:3000", "app2:3000", "app3:3000"));
        }
        assertEquals(expected, servers.stream().map(line -> line.split("\\s+")[1]).toList());
        assertTrue(servers.stream().allMatch(line -> line.contains("max_fails=0")), servers.toString());
        assertThat(conf, containsString("proxy_next_upstream_tries 24;"));
    }

    @Test
    void noPlaceholderIsLeftOutsideComments() throws IOException {
        String conf = NginxConf.render(stack(2, Duration.ofSeconds(5)), Files.readString(TEMPLATE));
        conf.lines().filter(line -> !line.strip().startsWith("#"))
                .forEach(line -> assertThat(line, not(containsString("{{"))));
    }

    @ParameterizedTest(name = "watchdog {0} ms -> read {1}, all tries {2}")
    @CsvSource({
        "5000, 11s, 13s",     // default: a hung worker is killed within 2 x watchdog
        "1000, 3s, 5s",
        "500, 2s, 4s",
        "0, 60s, 62s",        // watchdog off: nginx's own patience
    })
    void timeoutsFollowTheWatchdog(long watchdogMs, String read, String all) throws IOException {
        String conf = NginxConf.render(stack(2, Duration.ofMillis(watchdogMs)), Files.readString(TEMPLATE));
        assertThat(conf, containsString("proxy_read_timeout " + read + ";"));
        assertThat(conf, containsString("proxy_send_timeout " + read + ";"));
        assertThat(conf, containsString("proxy_next_upstream_timeout " + all + ";"));
        assertThat(conf, containsString("proxy_connect_timeout 1s;"));
    }

    @Test
    void retriesIdempotentRequestsOnErrorsAnd502And503() throws IOException {
        String conf = NginxConf.render(stack(2, Duration.ofSeconds(5)), Files.readString(TEMPLATE));
        assertThat(conf, containsString("proxy_next_upstream error timeout http_502 http_503;"));
        assertThat(conf, not(containsString("non_idempotent;")));
        assertThat(conf, containsString("proxy_http_version 1.1;"));
        assertThat(conf, containsString("proxy_set_header Connection \"\";"));
    }

    @Test
    void adminPathsAreRefused() throws IOException {
        String conf = NginxConf.render(stack(2, Duration.ofSeconds(5)), Files.readString(TEMPLATE));
        assertThat(conf, containsString("location ~ ^/(health|status|metrics|reload)(/|$) {\n        return 404;"));
    }

    @Test
    void unknownPlaceholderNamesItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NginxConf.render(stack(2, Duration.ofSeconds(5)), "events {}\nproxy_pass {{upstream}};\n"));
        assertThat(e.getMessage(), containsString("line 2: unknown placeholder {{upstream}}"));
    }

    @Test
    void stickyBalancingIsDetectedOnlyWhenActive() {
        assertTrue(NginxConf.sticky("upstream x {\n    ip_hash;\n}"));
        assertTrue(NginxConf.sticky("upstream x {\n  hash $remote_addr consistent;\n}"));
        assertFalse(NginxConf.sticky("upstream x {\n    # ip_hash;\n    least_conn;\n}"));
    }
}
