package io.revenant.supervisor;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * issue 11 finding 6: "a file cut to its first line by a non-atomic write was applied: workers
 * 2 → 1, chaos off". The watcher's decision, poll by poll: a letter is a content (A = what the
 * supervisor loaded at start), {@code _} a blank file, {@code ?} an unreadable one; the expected
 * column has R where that poll asks for a reload.
 */
class EditDebounceTest {

    @ParameterizedTest(name = "start {0}, polls {1} -> {2}")
    @CsvSource({
            "A, A A A,       . . .",   // nothing changed
            "A, B B,         . R",     // an edit applies on the second equal read
            "A, B B B B,     . R . .", // ... once
            "A, P F F,       . . R",   // caught half written (P): only the finished file applies
            "A, P P F F,     . R . R", // a write stalled for a whole period is applied: hence "write atomically"
            "A, _ _ _ _,     . . . .", // truncated to nothing, or to its first (comment) line: never applied
            "A, _ F F,       . . R",   // truncated, then written: the written file applies
            "A, B _ B B,     . . . R", // a blank read between two equal reads restarts the count
            "A, B ? B B,     . . . R", // so does an unreadable one (file being replaced)
            "A, B A A,       . . .",   // an edit undone before it settled: nothing to reload
            "A, B B A A,     . R . R", // an applied edit undone is an edit too
            "?, A A,         . R",     // unreadable at start: the first stable content is reloaded
            "_, A A,         . R",     // blank at start (all defaults): the first real content is reloaded
    })
    void appliesOnlyStableNonBlankEdits(String start, String polls, String expected) {
        EditDebounce debounce = new EditDebounce(snapshot(start));
        String decisions = Arrays.stream(polls.trim().split(" +"))
                .map(poll -> debounce.observe(snapshot(poll)) ? "R" : ".")
                .collect(Collectors.joining(" "));
        assertThat(decisions, is(expected.trim()));
    }

    private static EditDebounce.Snapshot snapshot(String symbol) {
        return switch (symbol) {
            case "_" -> new EditDebounce.Snapshot.Blank();
            case "?" -> new EditDebounce.Snapshot.Unreadable();
            default -> new EditDebounce.Snapshot.Content(symbol);
        };
    }
}
