package io.revenant.stack;

import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.revenant.config.AdminConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code make dashboard}: the URLs of make run's admin listener and of each stack container's. */
class DashboardUrlsTest {

    private static Properties stackEnv(String adminPorts) {
        Properties env = new Properties();
        env.setProperty("PROJECT", "demo");
        env.setProperty("APP_CONTAINERS", "demo-app1,demo-app2");
        env.setProperty("ADMIN_PORTS", adminPorts);
        return env;
    }

    @Test
    void makeRunsListenerAndEachContainersPublishedPort() {
        assertEquals(List.of("make run (cfg.yaml): http://127.0.0.1:9000/",
                             "stack demo: demo-app1 http://127.0.0.1:9001/",
                             "stack demo: demo-app2 http://127.0.0.1:9002/"),
                     DashboardUrls.lines(new AdminConfig(true, "127.0.0.1", 9000), "cfg.yaml", stackEnv("9001,9002")));
    }

    @Test
    void wildcardAndIpv6HostsBecomeBrowsableAddresses() {
        assertEquals("make run (c): http://127.0.0.1:9000/",
                     DashboardUrls.lines(new AdminConfig(true, "0.0.0.0", 9000), "c", null).getFirst());
        assertEquals("make run (c): http://[::1]:9000/",
                     DashboardUrls.lines(new AdminConfig(true, "::1", 9000), "c", null).getFirst());
    }

    @Test
    void saysWhyThereIsNoUrl() {
        assertEquals(List.of("make run: no dashboard: c sets admin.enabled: false", "stack: none rendered (make up)"),
                     DashboardUrls.lines(new AdminConfig(false, "127.0.0.1", 9000), "c", null));
        assertEquals("stack demo: no admin port published (admin off, or rendered before ports were; make up)",
                     DashboardUrls.lines(new AdminConfig(true, "127.0.0.1", 9000), "c", stackEnv("")).get(1));
    }
}
