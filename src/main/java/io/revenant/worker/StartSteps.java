package io.revenant.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.revenant.log.EventLine;

/**
 * Where a worker's start time goes: wall and CPU milliseconds of each step from exec to READY,
 * printed as one {@code event=worker-start-steps} line that the supervisor's log carries and
 * {@code make bench} tabulates. The start is measured from the kernel's process start time, so
 * the JVM's own boot (before {@code main}) is the first step.
 *
 * <p>Read from {@code /proc/self/stat}: its clock ticks are 10 ms on Linux, so the exec point and
 * the CPU figures have that resolution; the steps after {@code main} are timed with
 * {@link System#nanoTime()}. Off Linux the exec step is 0 and the CPU figures are -1.
 */
final class StartSteps {

    private static final double TICK_MS = 10;

    private record Step(String name, long nanos, long cpuMs) {
    }

    private final long execNanos;
    private final List<Step> steps = new ArrayList<>();

    private StartSteps(long execNanos, long mainNanos, long mainCpuMs) {
        this.execNanos = execNanos;
        steps.add(new Step("main", mainNanos, mainCpuMs));
    }

    /** Call first thing in {@code main}: the JVM's boot ends here. */
    static StartSteps atMain() {
        long now = System.nanoTime();
        long[] stat = selfStat();
        double uptimeMs = uptimeMs();
        long sinceExec = stat == null || uptimeMs < 0 ? 0 : (long) Math.max(0, uptimeMs - stat[2] * TICK_MS);
        return new StartSteps(now - sinceExec * 1_000_000, now, stat == null ? -1 : (long) ((stat[0] + stat[1]) * TICK_MS));
    }

    /** The end of a step (wall and process CPU so far). */
    void mark(String name) {
        long[] stat = selfStat();
        steps.add(new Step(name, System.nanoTime(), stat == null ? -1 : (long) ((stat[0] + stat[1]) * TICK_MS)));
    }

    /**
     * The event line: {@code NAME-ms} and {@code NAME-cpu-ms} of each step (its own duration, not
     * the time since exec), then {@code total-ms} and {@code cpu-ms} from exec.
     */
    String line(long worker, long pid) {
        List<Object> fields = new ArrayList<>(List.of("worker", worker, "pid", pid));
        long previousNanos = execNanos;
        long previousCpu = 0;
        for (Step step : steps) {
            fields.add(step.name() + "-ms");
            fields.add(millis(step.nanos() - previousNanos));
            fields.add(step.name() + "-cpu-ms");
            fields.add(step.cpuMs() < 0 ? -1 : step.cpuMs() - previousCpu);
            previousNanos = step.nanos();
            previousCpu = Math.max(0, step.cpuMs());
        }
        Step last = steps.getLast();
        fields.add("total-ms");
        fields.add(millis(last.nanos() - execNanos));
        fields.add("cpu-ms");
        fields.add(last.cpuMs());
        return EventLine.format(Instant.now(), "worker-start-steps", fields.toArray());
    }

    private static String millis(long nanos) {
        return String.format("%.1f", nanos / 1e6);
    }

    /** utime, stime and starttime of this process in clock ticks, or null off Linux. */
    private static long[] selfStat() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // fields after the command name, which is in parentheses and may hold spaces:
            // state(3) ... utime(14) stime(15) ... starttime(22)
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[19])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static double uptimeMs() {
        try {
            String uptime = Files.readString(Path.of("/proc/uptime"));
            return Double.parseDouble(uptime.substring(0, uptime.indexOf(' '))) * 1000;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
