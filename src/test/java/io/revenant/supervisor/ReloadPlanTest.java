package io.revenant.supervisor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.revenant.config.ConfigException;
import io.revenant.config.ConfigLoader;
import io.revenant.config.RevenantConfig;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** What a reload does, row by row: where it came from × what the new file changed. */
class ReloadPlanTest {

    private static final String RUNNING = """
            server: {port: 41000}
            admin: {port: 41100}
            supervisor: {workers: 2, timeout-stop-sec: 5}
            worker: {max-requests: 0}
            """;

    @ParameterizedTest(name = "{0}, {1} -> apply={2} replace-all={3} server-kept={4} admin-later={5}")
    @CsvSource({
            // origin  change                 apply  replace server admin
            "file,    nothing,                false, false,  false, false",
            "signal,  nothing,                true,  true,   false, false",
            "admin,   nothing,                true,  true,   false, false",
            "file,    worker.max-requests,    true,  true,   false, false",
            "file,    supervisor.timeout-stop, true, true,   false, false",
            // the count changes by adding or retiring slots, not by replacing the ones that stay
            "file,    supervisor.workers,     true,  false,  false, false",
            // server.* is kept (the socket lives as long as the supervisor), so the file is unchanged for workers
            "file,    server.port,            false, false,  true,  false",
            "signal,  server.port,            true,  true,   true,  false",
            "file,    admin.port,             true,  false,  false, true",
    })
    void table(String origin, String change, boolean apply, boolean replaceAll, boolean serverKept, boolean adminLater)
            throws ConfigException {
        RevenantConfig running = ConfigLoader.loadYaml(RUNNING, "running.yaml");
        String edited = switch (change) {
            case "nothing" -> RUNNING + "# a comment\n";
            case "worker.max-requests" -> RUNNING.replace("max-requests: 0", "max-requests: 100");
            case "supervisor.timeout-stop" -> RUNNING.replace("timeout-stop-sec: 5", "timeout-stop-sec: 6");
            case "supervisor.workers" -> RUNNING.replace("workers: 2", "workers: 3");
            case "server.port" -> RUNNING.replace("41000", "41001");
            case "admin.port" -> RUNNING.replace("41100", "41101");
            default -> throw new IllegalArgumentException(change);
        };
        ReloadPlan plan = ReloadPlan.of(running, ConfigLoader.loadYaml(edited, "running.yaml"), origin);
        assertThat("apply", plan.apply(), is(apply));
        assertThat("replace all", plan.replaceAll(), is(replaceAll));
        assertThat("server kept", plan.serverKept(), is(serverKept));
        assertThat("admin later", plan.adminLater(), is(adminLater));
        assertThat("server.* stays as running", plan.next().server(), is(running.server()));
    }
}
