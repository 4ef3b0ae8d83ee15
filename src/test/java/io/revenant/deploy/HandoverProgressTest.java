package io.revenant.deploy;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** When a slot's hand-over is done, still under way, or failed, row by row. */
class HandoverProgressTest {

    private static final String OLD = "old-instance";

    @ParameterizedTest(name = "old {0}/{1}, next {2}/{3}/{4}, status {5}, past deadline {6} -> {7}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // old running, old exit | next running, restarts, exit | status instance:ready/workers | deadline | verdict
        // the old supervisor still serves (and answers the slot's admin port): wait, whatever the status says
        "true |0 |true |0|0 |old-instance:2/2|false|wait",
        "true |0 |true |0|0 |new:2/2         |false|wait",
        // handed over: the old one exited 0 and the new one has every worker READY
        "false|0 |true |0|0 |new:2/2         |false|done",
        "false|0 |true |0|0 |new:1/2         |false|wait",
        "false|0 |true |0|0 |-               |false|wait",
        // a status still from the old instance (read just before it exited) does not count
        "false|0 |true |0|0 |old-instance:2/2|false|wait",
        // the new version fails: its supervisor exited, or the restart policy restarted it
        "true |0 |false|0|78|-               |false|failed",
        "true |0 |true |1|78|-               |false|failed",
        "false|0 |false|0|1 |-               |false|failed-slot-down",
        // the serving one exited with an error during the hand-over
        "false|137|true|0|0 |new:2/2         |false|failed",
        // deadline: before the hand-over the old one serves on; after it, the slot would be down
        "true |0 |true |0|0 |-               |true |failed",
        "false|0 |true |0|0 |new:1/2         |true |failed-slot-down",
        "false|0 |true |0|0 |new:2/2         |true |done",
    })
    void decide(boolean oldRunning, int oldExit, boolean nextRunning, int restarts, int nextExit, String status,
                boolean pastDeadline, String verdict) {
        Optional<SupervisorStatus> seen = Optional.ofNullable(status).map(text -> {
            String[] parts = text.strip().split("[:/]");
            return new SupervisorStatus(parts[0], "2.0", Integer.parseInt(parts[2]), Integer.parseInt(parts[1]), false);
        });
        HandoverProgress.Verdict decided = HandoverProgress.decide(new HandoverProgress.Look(
                new HandoverProgress.State(oldRunning, 0, oldExit), OLD,
                new HandoverProgress.State(nextRunning, restarts, nextExit), seen, pastDeadline));
        String actual = switch (decided) {
            case HandoverProgress.Wait wait -> "wait";
            case HandoverProgress.Done done -> "done";
            case HandoverProgress.Failed failed -> failed.slotDown() ? "failed-slot-down" : "failed";
        };
        assertEquals(verdict.strip(), actual, decided.toString());
    }
}
