package io.revenant.protocol;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.revenant.config.ChaosConfig;
import io.revenant.config.ServerConfig;
import io.revenant.worker.WorkerMain;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WorkerSettingsTest {

    @Test
    void survivesTheEnvironment() {
        WorkerSettings settings = new WorkerSettings("id-1", 7, 2, "1.2.3", 42, new ServerConfig("127.0.0.1", 3100, ServerConfig.DEFAULT_BACKLOG,
                        Duration.ofMillis(1500), Duration.ofSeconds(42), 77),
                new ChaosConfig(true, Optional.of("t")), Duration.ofSeconds(3), 1000, Optional.of("/tmp/n.sock"), true,
                Optional.of("/tmp/listen.sock"), 123456);
        assertThat(WorkerSettings.fromEnvironment(settings.toEnvironment()), is(settings));
    }

    @Test
    void namesTheMissingVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkerSettings.fromEnvironment(Map.of("REVENANT_INSTANCE", "x")));
        assertThat(e.getMessage(), containsString("REVENANT_WORKER is not set"));
    }

    /** Issue 13: the supervisor names the worker's main class as a string, so a rename must fail here. */
    @Test
    void mainClassIsTheWorkersEntryPoint() {
        assertThat(WorkerSettings.MAIN_CLASS, is(WorkerMain.class.getName()));
    }
}
