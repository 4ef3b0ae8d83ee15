package io.revenant.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, "a permanent abuse suite": the soak's decision. A flat series passes, and each
 * kind of growth or loss the soak exists to catch fails it, with a message naming it.
 */
class SoakVerdictTest {

    private static final SoakVerdict.End WHOLE = new SoakVerdict.End(-1, 1, 1, 1, 1, 2, 900, 1000, 912);

    /** 0..60 s every 10 s: RSS 64 MiB, 62 fds, 33 threads, no zombie, answers growing. */
    private static List<Sample> flat(UnaryOperator<Sample> change) {
        List<Sample> series = new ArrayList<>();
        for (int t = 0; t <= 60; t += 10) {
            series.add(change.apply(new Sample(t, 64 * 1024, 62, 33, 0, 1, 2, t * 3L, t * 3L, 1000L + t * 100, t)));
        }
        return series;
    }

    private static Sample with(Sample s, long rssKib, long fds, long threads, long zombies, long ok) {
        return new Sample(s.seconds(), rssKib, fds, threads, zombies, s.ready(), s.workerJvms(), s.kills(),
                          s.restarts(), ok, s.failed());
    }

    /** Grows {@code perTenSeconds} each sample, as a leak per kill does. */
    private static long grow(Sample s, long base, long perTenSeconds) {
        return base + perTenSeconds * s.seconds() / 10;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("flat", flat(s -> s), WHOLE, ""),
                Arguments.of("one spike of each resource in the middle moves no median",
                             flat(s -> s.seconds() == 40 ? with(s, 90 * 1024, 80, 50, 0, s.ok()) : s), WHOLE, ""),
                Arguments.of("RSS +4 MiB per 10 s (a leak)",
                             flat(s -> with(s, grow(s, 64 * 1024, 4 * 1024), 62, 33, 0, s.ok())), WHOLE,
                             "supervisor RSS grew"),
                Arguments.of("RSS +2 MiB per 10 s stays under 16 MiB and 20 %",
                             flat(s -> with(s, grow(s, 64 * 1024, 2 * 1024), 62, 33, 0, s.ok())), WHOLE, ""),
                Arguments.of("fds +3 per 10 s (a leak)",
                             flat(s -> with(s, s.rssKib(), grow(s, 62, 3), 33, 0, s.ok())), WHOLE,
                             "supervisor open fds grew"),
                Arguments.of("threads +3 per 10 s (a leak)",
                             flat(s -> with(s, s.rssKib(), 62, grow(s, 33, 3), 0, s.ok())), WHOLE,
                             "supervisor threads grew"),
                Arguments.of("one zombie left unreaped, even in the warm-up",
                             flat(s -> s.seconds() == 10 ? with(s, s.rssKib(), 62, 33, 1, s.ok()) : s), WHOLE,
                             "zombie"),
                Arguments.of("no answer in an interval after the warm-up",
                             flat(s -> s.seconds() == 50 ? with(s, s.rssKib(), 62, 33, 0, 1000 + 40 * 100) : s),
                             WHOLE, "no GET was answered between t=40 s and t=50 s"),
                Arguments.of("too short to judge", flat(s -> s).subList(0, 4), WHOLE, "sample(s) after the"),
                Arguments.of("supervisor exited", flat(s -> s), new SoakVerdict.End(1, -1, -1, 1, 0, 0, 900, 1000, 0),
                             "exited with code 1"),
                Arguments.of("a worker missing at the end",
                             flat(s -> s), new SoakVerdict.End(-1, 2, 1, 1, 1, 3, 900, 1000, 912), "not whole"),
                Arguments.of("a stray worker JVM at the end",
                             flat(s -> s), new SoakVerdict.End(-1, 1, 1, 1, 1, 3, 900, 1000, 912), "not whole"),
                Arguments.of("no kill went through",
                             flat(s -> s), new SoakVerdict.End(-1, 1, 1, 1, 1, 2, 0, 1000, 0), "no kill"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdict(String name, List<Sample> series, SoakVerdict.End end, String expected) {
        List<String> violations = SoakVerdict.violations(series, end);
        if (expected.isEmpty()) {
            assertEquals(List.of(), violations, name);
        } else {
            assertTrue(violations.stream().anyMatch(v -> v.contains(expected)),
                       name + ": expected a violation containing '" + expected + "', got " + violations);
        }
    }
}
