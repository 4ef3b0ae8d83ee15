package io.revenant.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ComposeFileTest {

    private static String render(int containers, boolean healthcheck) {
        StackSettings stack = new StackSettings("demo", "revenant:2.0", "nginx:1.27", containers, 3000, 9100, true,
                                                "127.0.0.1", 3000, 3333, Path.of("/srv/config"),
                                                Duration.ofSeconds(5), Duration.ofSeconds(10), healthcheck);
        return ComposeFile.render(stack, "config/application.yaml", Path.of("/srv/stack/nginx"));
    }

    @Test
    void oneServicePerContainerPublishedOnBasePlusIndex() {
        String compose = render(3, true);
        List<String> services = compose.lines().filter(line -> line.matches("  [a-z0-9]+:")).map(String::strip).toList();
        assertEquals(List.of("app1:", "app2:", "app3:", "nginx:"), services);
        assertThat(compose, containsString("\"127.0.0.1:3001:3000\""));
        assertThat(compose, containsString("\"127.0.0.1:3003:3000\""));
        assertThat(compose, containsString("\"127.0.0.1:3333:80\""));
        assertThat(compose, containsString("container_name: demo-app2-net"));
        assertThat(compose, containsString("container_name: demo-nginx"));
    }

    // issue 12: the dashboard of each container, on the host's loopback only, whatever the app's publish host;
    // the holder publishes it, as it does the app port (a container joining its namespace cannot)
    @Test
    void eachAdminListenerIsPublishedOnTheHostsLoopbackOnly() {
        StackSettings stack = new StackSettings("demo", "revenant:2.0", "nginx:1.27", 2, 3000, 9000, true,
                                                "0.0.0.0", 3000, 3333, Path.of("/srv/config"),
                                                Duration.ofSeconds(5), Duration.ofSeconds(10), true);
        String compose = ComposeFile.render(stack, "config/application.yaml", Path.of("/srv/stack/nginx"));
        assertThat(compose, containsString("\"0.0.0.0:3001:3000\"\n      - \"127.0.0.1:9001:9000\"\n"));
        assertThat(compose, containsString("\"127.0.0.1:9002:9000\""));
        assertThat(compose, not(containsString("0.0.0.0:9001")));
        assertThat(StackFiles.environment(stack, false), containsString("\nADMIN_PORTS=9001,9002\n"));
    }

    /**
     * The app services are the slots' holders: they keep the namespace (restart always, stop at
     * once) and run nothing of the app's; the app containers join them (make up / make deploy).
     */
    @Test
    void appServicesAreHoldersThatRunNoSupervisor() {
        String compose = render(2, true);
        assertEquals(3, compose.split("restart: always", -1).length - 1, "app1, app2 and nginx restart");
        assertEquals(2, compose.lines().filter(line -> line.equals("    entrypoint: [\"sleep\", \"infinity\"]")).count(),
                     "holders sleep");
        assertThat(compose, not(containsString("/app/config")));
        assertThat(compose, containsString("\"/srv/stack/nginx:/etc/nginx/conf.d:ro\""));
        assertThat(compose, containsString("stop_signal: SIGKILL"));
    }

    /** The supervisor owns the listening socket: no container needs a kernel setting or a privilege. */
    @Test
    void noContainerSetsASysctlOrAsksForPrivilege() {
        for (boolean healthcheck : new boolean[] {true, false}) {
            String compose = render(3, healthcheck);
            for (String absent : List.of("sysctl", "net.ipv4", "net.core", "privileged", "cap_add", "user: root")) {
                assertThat(compose, not(containsString(absent)));
            }
            // every app service has exactly the keys the renderer means to give it, nothing more
            List<String> app1Keys = compose.lines().dropWhile(line -> !line.equals("  app1:")).skip(1)
                    .takeWhile(line -> line.startsWith("    ")).filter(line -> line.matches("    [a-z_]+:.*"))
                    .map(line -> line.strip().replaceAll(":.*", "")).toList();
            assertEquals(List.of("image", "container_name", "hostname", "entrypoint", "restart", "stop_signal",
                                 "ports", "healthcheck"), app1Keys);
        }
    }

    /** The holder runs no supervisor, so it has no health check; the app containers have it (AppContainer). */
    @Test
    void holdersHaveNoHealthcheck() {
        assertThat(render(1, true), containsString("test: [\"NONE\"]"));
        assertThat(render(1, true), not(containsString("revenant-health")));
    }

    @Test
    void dollarsAreEscapedForComposeInterpolation() {
        assertEquals("\"a$$b\\\"c\"", ComposeFile.quote("a$b\"c"));
    }
}
