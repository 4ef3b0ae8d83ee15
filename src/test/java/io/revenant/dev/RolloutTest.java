package io.revenant.dev;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.revenant.log.EventLine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Sequences of the supervisor's event lines (as Supervisor and Pool log them) and what the dev loop concludes. */
class RolloutTest {

    private static String line(String event, Object... fields) {
        return EventLine.format(Instant.EPOCH, event, fields);
    }

    private static final String HUP = line("signal", "name", "HUP", "stopping", false);
    private static final String RELOAD_2 = line("reload", "origin", "signal", "file", "app.yaml", "workers", 2,
                                                "basis", "explicit", "replace", 2);

    static Stream<Arguments> sequences() {
        return Stream.of(
                Arguments.of("reloadDoneWhenEverySuccessorIsReady", Rollout.reload(), List.of(HUP, RELOAD_2,
                        line("worker-spawn", "slot", 1, "worker", 4, "reason", "replace"),
                        line("worker-ready", "slot", 1, "worker", 4),
                        line("worker-stop", "slot", 1, "worker", 1, "reason", "replaced"),
                        line("worker-spawn", "slot", 2, "worker", 5, "reason", "replace"),
                        line("worker-ready", "slot", 2, "worker", 5)),
                        new Rollout.Outcome.Done(2)),
                Arguments.of("aRestartedWorkerIsNotAReplacement", Rollout.reload(), List.of(HUP, RELOAD_2,
                        line("worker-spawn", "slot", 1, "worker", 4, "reason", "replace"),
                        line("worker-ready", "slot", 1, "worker", 4),
                        line("worker-spawn", "slot", 2, "worker", 5, "reason", "restart"),
                        line("worker-ready", "slot", 2, "worker", 5)),
                        new Rollout.Outcome.Pending()),
                Arguments.of("aNewWorkerThatDiesKeepsTheOldOnes", Rollout.reload(), List.of(HUP, RELOAD_2,
                        line("worker-spawn", "slot", 1, "worker", 4, "reason", "replace"),
                        line("worker-exit", "slot", 1, "worker", 4, "code", 1, "cause", "crash"),
                        line("replace-failed", "slot", 1, "worker", 4)),
                        new Rollout.Outcome.Failed(0, 2, "a new worker exited before READY (see above)")),
                Arguments.of("anInvalidConfigFileRejectsTheReload", Rollout.reload(), List.of(HUP,
                        line("reload-rejected", "origin", "signal", "key", "server.port", "error", "bad"),
                        line("reload-rejected", "origin", "signal", "message", "stays")),
                        new Rollout.Outcome.Failed(0, 0, "the config file is invalid (reload-rejected above)")),
                Arguments.of("noWorkerToReplace", Rollout.reload(), List.of(HUP,
                        line("reload", "origin", "signal", "workers", 1, "replace", 0)),
                        new Rollout.Outcome.Done(0)),
                Arguments.of("startDoneWhenItsWorkersAreReady", Rollout.start(), List.of(
                        line("supervisor-start", "workers", 2, "port", 3000),
                        line("worker-spawn", "slot", 1, "worker", 1, "reason", "start"),
                        line("worker-spawn", "slot", 2, "worker", 2, "reason", "start"),
                        line("worker-ready", "slot", 2, "worker", 2),
                        line("worker-ready", "slot", 1, "worker", 1)),
                        new Rollout.Outcome.Done(2)),
                Arguments.of("startThatStops", Rollout.start(), List.of(
                        line("supervisor-start", "workers", 2, "port", 3000),
                        line("worker-ready", "slot", 1, "worker", 1),
                        line("supervisor-exit", "code", 69)),
                        new Rollout.Outcome.Failed(1, 2, "the supervisor stopped (code 69)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void concludes(String name, Rollout rollout, List<String> lines, Rollout.Outcome expected) {
        Rollout.Outcome outcome = new Rollout.Outcome.Pending();
        for (String line : lines) {
            outcome = rollout.observe(EventFields.parse(line).orElseThrow());
        }
        assertThat(outcome, is(expected));
    }
}
