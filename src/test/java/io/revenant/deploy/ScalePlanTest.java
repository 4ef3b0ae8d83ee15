package io.revenant.deploy;

import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** From the running slots and supervisor.containers to the steps of scaling in place, row by row. */
class ScalePlanTest {

    @ParameterizedTest(name = "running {0}, containers {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            1,2     | 2 | -
            1,2     | 3 | +3
            1,2     | 5 | +3 +4 +5
            1,2,3   | 1 | -3 -2
            1,2,3,4 | 2 | -4 -3
            1       | 1 | -
            1,3     | 2 | -3 +2
            2       | 2 | +1
            ''      | 2 | +1 +2
            """)
    void stepsTakeTheRunningSlotsToOneToContainers(String running, int containers, String expected) {
        List<ScalePlan.Step> steps = ScalePlan.of(slots(running), containers);
        assertEquals(expected, steps.isEmpty() ? "-" : String.join(" ", steps.stream()
                .map(step -> (step.kind() == ScalePlan.Kind.ADD ? "+" : "-") + step.slot()).toList()));
        assertEquals(slots(range(containers)), ScalePlan.after(slots(running), steps), "slots after the steps");
    }

    @Test
    void aCountBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScalePlan.of(slots("1,2"), 0));
        assertEquals("supervisor.containers must be at least 1, got 0", e.getMessage());
    }

    @Test
    void stepsReadAsASentence() {
        assertEquals("[remove slot 3, add slot 2]", ScalePlan.of(slots("1,3"), 2).toString());
    }

    private static String range(int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            out.append(i == 1 ? "" : ",").append(i);
        }
        return out.toString();
    }

    private static SortedSet<Integer> slots(String list) {
        SortedSet<Integer> slots = new TreeSet<>();
        if (list != null && !list.isBlank()) {
            Arrays.stream(list.split(",")).map(String::strip).map(Integer::valueOf).forEach(slots::add);
        }
        return slots;
    }
}
