package io.revenant.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * Whether a soak's series is flat: the bounds, and the pure decision over the samples and the
 * state at the end. A leak shows as a trend, so each resource compares the median of the last
 * third of the judged samples with the median of the first third: one spike (a spawn in flight,
 * a GC) moves neither median, a leak of one thing per kill (~10 a second) moves both apart.
 */
final class SoakVerdict {

    /**
     * Samples before this are printed, not judged: the first kills load and compile the
     * supervisor's restart paths (C1, metaspace) and grow the JDK's process-reaper pool once.
     */
    static final Duration WARM_UP = Duration.ofSeconds(20);
    /** Fewer judged samples than this cannot show a trend: the run was too short to pass. */
    static final int MIN_JUDGED_SAMPLES = 3;
    /**
     * RSS growth allowed, the smaller of the two: the supervisor's heap is capped (-Xmx16m), so
     * steady growth past either is native memory or code that the kills keep adding.
     */
    static final long MAX_RSS_GROWTH_KIB = 16 * 1024;
    static final double MAX_RSS_GROWTH_RATIO = 0.20;
    /**
     * Open fds allowed to grow: a spawn in flight holds its child's three pipes and a notify
     * connection, and a kill storm has one or two spawns in flight; a leak of one fd per kill
     * passes this in a second.
     */
    static final long MAX_FD_GROWTH = 8;
    /** Threads allowed to grow: the JDK's process reaper and the output pumps hold a thread per live child. */
    static final long MAX_THREAD_GROWTH = 8;
    /** A child that exited is a zombie until the JDK reaps it; one still a zombie this long after is not reaped. */
    static final Duration ZOMBIE_GRACE = Duration.ofSeconds(1);
    /**
     * After the last kill, the pool must be whole again (every worker READY, every spare warm)
     * within this: a worker JVM start took 14-15 s on the 2 shared cores at load 15 (it tests'
     * RunningSupervisor.START_UNDER_LOAD).
     */
    static final Duration RECOVERY = Duration.ofSeconds(60);

    /**
     * The state once the kills stopped and the pool had {@link #RECOVERY} to heal.
     *
     * @param exitCode     the supervisor's exit code, or -1 if it still runs
     * @param workers      target worker count ({@code /status}), -1 if it did not answer
     * @param ready        READY workers, -1 if it did not answer
     * @param spares       configured hot spares
     * @param warmSpares   warm spares
     * @param workerJvms   worker JVMs that are children of the supervisor
     * @param kills        kills answered 202
     * @param killAttempts kill calls sent
     * @param chaosRestarts restarts with cause chaos-kill
     */
    record End(int exitCode, int workers, int ready, int spares, long warmSpares, long workerJvms, long kills,
               long killAttempts, long chaosRestarts) {
    }

    private SoakVerdict() {
    }

    /** What grew past a bound or was not whole at the end; empty when the soak held. */
    static List<String> violations(List<Sample> series, End end) {
        List<String> found = new ArrayList<>();
        if (end.exitCode() >= 0) {
            found.add("the supervisor exited with code " + end.exitCode() + " during the soak");
        }
        for (Sample sample : series) {
            if (sample.zombies() > 0) {
                found.add(sample.zombies() + " zombie child(ren) of the supervisor at t=" + sample.seconds()
                          + " s, still unreaped after " + ZOMBIE_GRACE.toMillis() + " ms");
            }
        }
        List<Sample> judged = series.stream().filter(s -> s.seconds() >= WARM_UP.toSeconds()).toList();
        if (judged.size() < MIN_JUDGED_SAMPLES) {
            found.add("only " + judged.size() + " sample(s) after the " + WARM_UP.toSeconds()
                      + " s warm-up; a trend needs " + MIN_JUDGED_SAMPLES + ": run longer or sample more often");
        } else {
            long firstRss = median(judged, Sample::rssKib, true);
            long rssGrowth = median(judged, Sample::rssKib, false) - firstRss;
            long rssAllowed = Math.min(MAX_RSS_GROWTH_KIB, (long) (firstRss * MAX_RSS_GROWTH_RATIO));
            if (rssGrowth > rssAllowed) {
                found.add(String.format(Locale.ROOT, "supervisor RSS grew %.1f MiB (median of the last third vs the"
                                        + " first, from %.1f MiB), more than %.1f MiB (the smaller of %d MiB and %.0f %%)",
                                        rssGrowth / 1024.0, firstRss / 1024.0, rssAllowed / 1024.0,
                                        MAX_RSS_GROWTH_KIB / 1024, MAX_RSS_GROWTH_RATIO * 100));
            }
            bound(found, judged, "open fds", Sample::fds, MAX_FD_GROWTH);
            bound(found, judged, "threads", Sample::threads, MAX_THREAD_GROWTH);
            for (int i = 1; i < series.size(); i++) {
                Sample previous = series.get(i - 1);
                Sample sample = series.get(i);
                if (sample.seconds() >= WARM_UP.toSeconds() && sample.ok() <= previous.ok()) {
                    found.add("no GET was answered between t=" + previous.seconds() + " s and t=" + sample.seconds()
                              + " s: the service stopped serving");
                }
            }
        }
        if (end.kills() == 0) {
            found.add("no kill was answered 202 (" + end.killAttempts() + " sent): the soak did not kill anything");
        }
        // not "one restart per 202": a dying worker can still answer the next kill 202 before it is gone
        if (end.chaosRestarts() < 1 || end.chaosRestarts() > end.killAttempts()) {
            found.add("restarts after a chaos kill: " + end.chaosRestarts() + ", not between 1 and the "
                      + end.killAttempts() + " kills sent");
        }
        if (end.ready() != end.workers() || end.workers() < 1 || end.warmSpares() != end.spares()
            || end.workerJvms() != (long) end.workers() + end.spares()) {
            found.add("the pool was not whole " + RECOVERY.toSeconds() + " s after the last kill: ready "
                      + end.ready() + " of " + end.workers() + " workers, warm spares " + end.warmSpares() + " of "
                      + end.spares() + ", worker JVMs " + end.workerJvms() + " (expected workers + spares)");
        }
        return found;
    }

    private static void bound(List<String> found, List<Sample> judged, String what, ToLongFunction<Sample> value,
                              long allowed) {
        long first = median(judged, value, true);
        long last = median(judged, value, false);
        if (last - first > allowed) {
            found.add("supervisor " + what + " grew by " + (last - first) + " (median of the last third " + last
                      + " vs the first " + first + "), more than " + allowed);
        }
    }

    /** Median of the first ({@code first}) or the last third of {@code judged} (at least one sample). */
    static long median(List<Sample> judged, ToLongFunction<Sample> value, boolean first) {
        int third = Math.max(1, judged.size() / 3);
        List<Sample> part = first ? judged.subList(0, third) : judged.subList(judged.size() - third, judged.size());
        long[] values = part.stream().mapToLong(value).toArray();
        Arrays.sort(values);
        return values[values.length / 2];
    }
}
