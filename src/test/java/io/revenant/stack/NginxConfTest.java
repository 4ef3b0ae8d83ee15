package io.revenant.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.revenant.testing.NginxUpstream;
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

    /** The main upstream's server lines, stripped: {@code server ADDRESS …;}, not the {@code server {} block. */
    static List<String> serverLines(String conf) {
        return NginxUpstream.servers(conf, NginxUpstream.MAIN);
    }

    /** The values of every (uncommented) {@code proxy_next_upstream_tries} directive. */
    static List<Integer> tries(String conf) {
        return conf.lines().map(String::strip).filter(line -> line.startsWith("proxy_next_upstream_tries "))
                .map(line -> Integer.parseInt(line.replaceAll("^proxy_next_upstream_tries (\\d+);$", "$1"))).toList();
    }

    @Test
    void everyContainerIsTwoUpstreamLinesThatAreNeverMarkedDown() throws IOException {
        String conf = NginxConf.render(stack(3, Duration.ofSeconds(5)), Files.readString(TEMPLATE));
        List<String> servers = serverLines(conf);
        assertEquals(List.of("app1:3000", "app2:3000", "app3:3000", "app1:3000", "app2:3000", "app3:3000"),
                     servers.stream().map(line -> line.split("\\s+")[1]).toList(), servers.toString());
        assertTrue(servers.stream().allMatch(line -> line.matches("server \\S+ .*\\bmax_fails=0\\b.*;")),
                   servers.toString());
        assertEquals(List.of(3), tries(conf));
    }

    @ParameterizedTest(name = "{0} container(s) -> {1} tries")
    @CsvSource({
        "1, 2",     // nginx tries each line at most once: two lines, two tries
        "2, 3",
        "3, 3",
        "5, 3",     // never more than 3
    })
    void triesAreOnePerServerLineAndAtMostThree(int containers, int expected) throws IOException {
        String conf = NginxConf.render(stack(containers, Duration.ofSeconds(5)), Files.readString(TEMPLATE));
        assertEquals(containers * StackSettings.LINES_PER_CONTAINER, serverLines(conf).size(), conf);
        assertEquals(List.of(expected), tries(conf));
    }

    @Test
    void neverZeroTriesWhichNginxReadsAsUnlimited() {
        assertEquals(1, StackSettings.nextUpstreamTries(0));
        assertEquals(StackSettings.MAX_UPSTREAM_TRIES, StackSettings.nextUpstreamTries(1000));
        assertTrue(StackSettings.MAX_UPSTREAM_TRIES <= 3);
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
    }

    /**
     * GETs go over kept connections (without them nginx's ports run out in TIME_WAIT); POST,
     * PATCH, LOCK and the last round of a request whose tries all failed go over new ones, to
     * the same containers, which queue in a supervisor's socket that no worker's death closes.
     */
    @Test
    void keptConnectionsForWhatNginxMayRepeatAndNewOnesForTheRest() throws IOException {
        String conf = NginxConf.render(stack(3, Duration.ofSeconds(5)), Files.readString(TEMPLATE));
        assertEquals(serverLines(conf), NginxUpstream.servers(conf, NginxUpstream.FRESH));
        assertTrue(NginxUpstream.directives(conf, NginxUpstream.MAIN).stream().anyMatch(line -> line.matches("keepalive \\d+;")),
                   conf);
        assertTrue(NginxUpstream.directives(conf, NginxUpstream.FRESH).stream().noneMatch(line -> line.startsWith("keepalive")),
                   conf);
        assertThat(conf, containsString("proxy_pass http://$revenant_upstream;"));
        assertThat(conf, containsString("error_page 502 = @fresh;"));
        assertThat(conf, containsString("proxy_pass http://revenant_fresh;"));
        for (String method : List.of("POST", "PATCH", "LOCK")) {
            assertTrue(conf.lines().map(String::strip).anyMatch(line -> line.matches(method + "\\s+revenant_fresh;")),
                       method + " must not go over a kept connection:\n" + conf);
        }
        // the client's Connection header never reaches the app; "" keeps the upstream connection
        assertThat(conf, containsString("proxy_set_header Connection $revenant_connection;"));
        assertThat(conf, containsString("revenant       \"\";"));
    }

    @Test
    void whileScalingFlagsTheReloadEveryAnswerClosesItsConnection() throws IOException {
        String conf = NginxConf.render(stack(2, Duration.ofSeconds(5)), Files.readString(TEMPLATE));
        assertThat(conf, containsString("if (-f /etc/nginx/conf.d/closing-connections) {\n            return 418;"));
        assertThat(conf, containsString("error_page 418 = @closing;"));
        assertThat(conf, containsString("location @closing {\n        keepalive_timeout 0;\n        proxy_pass http://$revenant_upstream;"));
        // its own failed tries still get the round on new connections
        assertThat(conf, containsString("recursive_error_pages on;\n        error_page 502 = @fresh;"));
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
