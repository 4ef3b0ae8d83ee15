package io.revenant.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.revenant.stack.NginxConf;
import io.revenant.stack.StackSettings;
import io.revenant.testing.NginxUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure parts of a rollout: plan, run arguments, and what is read from the containers. */
class DeployUnitsTest {

    static StackSettings stack(boolean healthcheck) {
        return new StackSettings("revenant", "revenant:1.0", "nginx:1.27", 2, 3000, 9000, true,
                                 "127.0.0.1", 3000, 3333, Path.of("/srv/config"), Duration.ofSeconds(5),
                                 Duration.ofSeconds(10), healthcheck);
    }

    @Test
    void theServingAndTheNextContainerJoinTheSlotsHolder() {
        StackSettings stack = stack(false);
        assertEquals(new AppContainer(2, "revenant-app2", "revenant-app2-net"), AppContainer.own(stack, 2));
        assertEquals(new AppContainer(2, "revenant-app2-next", "revenant-app2-net"), AppContainer.next(stack, 2));
    }

    @Test
    void anAppContainerJoinsItsHolderAndIsRestartedOnlyOnFailure() {
        List<String> args = AppContainer.own(stack(false), 1).runArguments(stack(false), "revenant:2.0");
        String line = String.join(" ", args);
        assertEquals("run", args.getFirst());
        assertEquals("revenant:2.0", args.getLast());
        for (String expected : List.of("--name revenant-app1 ", "--network container:revenant-app1-net ",
                                       "--restart on-failure ", "--stop-timeout 15 ",
                                       "--volume /srv/config:/app/config:ro ", "--no-healthcheck ",
                                       "--label com.docker.compose.project=revenant ",
                                       // issue 12: the admin port the holder publishes arrives on the namespace's interfaces
                                       "--env REVENANT_ADMIN_HOST=0.0.0.0 ")) {
            assertTrue(line.contains(expected), expected + " missing in " + line);
        }
        // a container in another's namespace publishes nothing (the holder does); the supervisor
        // owns the listening socket: no kernel setting, no privilege
        for (String absent : List.of("--publish", "--network-alias", "--hostname", "--restart always", "--sysctl",
                                     "net.ipv4", "--privileged", "--cap-add", "--user")) {
            assertFalse(line.contains(absent), absent + " in " + line);
        }
    }

    @Test
    void withHealthChecksTheCommandIsOneShellLine() {
        List<String> args = AppContainer.own(stack(true), 1).runArguments(stack(true), "i");
        String command = args.get(args.indexOf("--health-cmd") + 1);
        assertEquals("'/usr/local/bin/revenant-health' 'ready' '9000' '127.0.0.1'", command);
    }

    @Test
    void shellWordsQuoteSingleQuotes() {
        assertEquals("'a b' 'it'\\''s'", AppContainer.shellWords(List.of("a b", "it's")));
    }

    @ParameterizedTest(name = "{0} -> all ready {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"instance\":\"i\",\"version\":\"2.0\",\"workers\":2,\"ready\":2,\"min-ready\":1,\"stopping\":false}|true",
        "{\"instance\":\"i\",\"version\":\"2.0\",\"workers\":2,\"ready\":1,\"min-ready\":1,\"stopping\":false}|false",
        "{\"instance\":\"i\",\"version\":\"2.0\",\"workers\":2,\"ready\":2,\"min-ready\":1,\"stopping\":true}|false",
        "{\"instance\":\"i\",\"version\":\"2.0\",\"workers\":0,\"ready\":0,\"min-ready\":1,\"stopping\":false}|false",
    })
    void readyMeansEveryWorkerReadyAndNotStopping(String json, boolean ready) {
        SupervisorStatus status = SupervisorStatus.parse(json).orElseThrow();
        assertEquals("2.0", status.version());
        assertEquals(ready, status.allReady());
    }

    @Test
    void somethingElseThanStatusIsNoStatus() {
        assertTrue(SupervisorStatus.parse("").isEmpty());
        assertTrue(SupervisorStatus.parse("{\"status\":\"DOWN\"}").isEmpty());
    }

    @Test
    void theStatusCommandRunsTheImagesProbeOnTheConfiguredAdminPort() {
        assertEquals(List.of("exec", "revenant-app1", "/usr/local/bin/revenant-health", "status", "9100", "127.0.0.1"),
                     SupervisorStatus.command("revenant-app1", 9100));
    }

    private static String upstream(List<String> servers) throws IOException {
        return NginxConf.render(stack(false), servers, Files.readString(Path.of("nginx/revenant.conf.template")));
    }

    /** The addresses of the main upstream's server lines, in order. */
    private static List<String> servers(String conf) {
        return NginxUpstream.servers(conf, NginxUpstream.MAIN).stream().map(line -> line.split("\\s+")[1]).toList();
    }

    private static List<String> tries(String conf) {
        return conf.lines().map(String::strip).filter(line -> line.startsWith("proxy_next_upstream_tries ")).toList();
    }

    @Test
    void theUpstreamListsTheGivenServersTwiceEach() throws IOException {
        String conf = upstream(List.of("10.89.0.5:3000", "10.89.0.9:3000", "10.89.0.7:3000"));
        assertEquals(List.of("10.89.0.5:3000", "10.89.0.9:3000", "10.89.0.7:3000",
                             "10.89.0.5:3000", "10.89.0.9:3000", "10.89.0.7:3000"), servers(conf));
        assertEquals(List.of("proxy_next_upstream_tries 3;"), tries(conf));
        assertTrue(NginxUpstream.servers(conf, NginxUpstream.MAIN).stream().allMatch(line -> line.contains(" max_fails=0 ")),
                   conf);
    }

    @Test
    void usageErrorsExit64() {
        assertEquals(DeployMain.USAGE, DeployMain.run(new String[0]));
        assertEquals(DeployMain.USAGE, DeployMain.run(new String[] {"deploy"}));
        assertEquals(DeployMain.USAGE, DeployMain.run(new String[] {"up"}));
        assertEquals(DeployMain.USAGE, DeployMain.run(new String[] {"upgrade"}));
    }
}
