package io.revenant.supervisor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.revenant.config.ConfigException;
import io.revenant.config.ConfigLoader;
import io.revenant.config.RevenantConfig;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * When a worker's exit proves a reload bad (and the supervisor goes back to the configuration
 * that last produced a READY worker), row by row. A worker is matched to the configuration in
 * force by identity: one started before the reload, even with equal settings, is not its worker.
 */
class ReloadsTest {

    private static final String RUNNING = "worker: {jvm-options: [-Xss1m]}\nsupervisor: {timeout-stop-sec: 5}\n";

    @ParameterizedTest(name = "{0} ready={1} started-with={2} last-good={3} -> {4}")
    @CsvSource({
            // cause       ready  started-with  last good                     rolls back
            "EXIT_CODE,    false, RUNNING,      OTHER_JVM_OPTIONS,            true",
            "EARLY_EXIT,   false, RUNNING,      OTHER_TIMEOUT_STOP,           true",
            "START_TIMEOUT, false, RUNNING,      OTHER_CHAOS,                 true",
            // the reload changed nothing a worker sees: the worker itself is to blame
            "EXIT_CODE,    false, RUNNING,      OTHER_SUPERVISOR_ONLY,        false",
            "EXIT_CODE,    false, RUNNING,      RUNNING,                      false",
            // no worker was ever READY: nothing proven to go back to
            "EXIT_CODE,    false, RUNNING,      NONE,                         false",
            // it had served, or it was not a failure
            "EXIT_CODE,    true,  RUNNING,      OTHER_JVM_OPTIONS,            false",
            "REQUESTED,    false, RUNNING,      OTHER_JVM_OPTIONS,            false",
            // a worker of an earlier configuration (an equal copy is still not the one in force)
            "EXIT_CODE,    false, COPY_OF_RUNNING, OTHER_JVM_OPTIONS,         false",
            "EXIT_CODE,    false, OTHER_JVM_OPTIONS, OTHER_JVM_OPTIONS,        false",
    })
    void blamesReload(ExitCause.Kind kind, boolean wasReady, String startedWith, String lastGood, boolean rollsBack)
            throws ConfigException {
        RevenantConfig running = ConfigLoader.loadYaml(RUNNING, "running.yaml");
        assertThat(Reloads.blamesReload(new ExitCause(kind, 1, "x"), wasReady, config(startedWith, running),
                                        running, config(lastGood, running)), is(rollsBack));
    }

    private static RevenantConfig config(String name, RevenantConfig running) throws ConfigException {
        return switch (name) {
            case "RUNNING" -> running;
            case "NONE" -> null;
            case "COPY_OF_RUNNING" -> ConfigLoader.loadYaml(RUNNING, "running.yaml");
            case "OTHER_JVM_OPTIONS" -> ConfigLoader.loadYaml(RUNNING.replace("-Xss1m", "-Xss2m"), "old.yaml");
            case "OTHER_TIMEOUT_STOP" ->
                    ConfigLoader.loadYaml(RUNNING.replace("timeout-stop-sec: 5", "timeout-stop-sec: 6"), "old.yaml");
            case "OTHER_CHAOS" -> ConfigLoader.loadYaml(RUNNING + "chaos: {kill-endpoint: true}\n", "old.yaml");
            case "OTHER_SUPERVISOR_ONLY" ->
                    ConfigLoader.loadYaml(RUNNING.replace("timeout-stop-sec: 5", "timeout-stop-sec: 5, spare: 2"), "old.yaml");
            default -> throw new IllegalArgumentException(name);
        };
    }
}
