package io.revenant.supervisor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** When a successor tells its predecessor to drain: the hand-over's one decision, row by row. */
class SuccessionTest {

    @ParameterizedTest(name = "target={0} ready={1} min-ready={2} stopping={3} -> {4}")
    @CsvSource({
            // target, ready, min-ready, stopping, drain the predecessor?
            "2, 2, 1, false, true",    // every worker READY
            "2, 1, 1, false, false",   // min-ready reached, but not every worker: the old one still serves more
            "2, 0, 0, false, false",   // nothing READY: never hand over to an empty pool
            "1, 1, 1, true,  false",   // stopping (TERM, or the succession gave up)
            "0, 0, 0, false, false",   // no worker at all
            "3, 3, 3, false, true",
    })
    void drainsThePredecessorOnlyWhenEveryWorkerIsReady(int target, int ready, int minReady, boolean stopping,
                                                        boolean expected) {
        assertThat(Succession.ready(pool(target, ready, minReady, stopping)), is(expected));
    }

    @org.junit.jupiter.api.Test
    void noSnapshotYetIsNotReady() {
        assertThat(Succession.ready(null), is(false));
    }

    private static PoolSnapshot pool(int target, int ready, int minReady, boolean stopping) {
        List<PoolSnapshot.SlotView> slots = new ArrayList<>();
        for (int slot = 1; slot <= target; slot++) {
            slots.add(new PoolSnapshot.SlotView(slot, slot, 100 + slot, slot <= ready ? "ready" : "starting", 0, "",
                                                Instant.EPOCH, 0));
        }
        return new PoolSnapshot("i", "v", 1, Instant.EPOCH, "f", "2", target, minReady, stopping, slots, Map.of(),
                                0, 0);
    }
}
