package io.revenant.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code worker.heap}: each worker JVM's {@code -Xmx}. {@code auto} divides the memory this
 * supervisor may use (its cgroup's limit, else the host's) between its JVMs:
 * {@code (memory − 64 MiB for the supervisor) ÷ (workers + spares) ÷ 2}, the other half of each
 * share left to what a JVM holds besides its heap (metaspace, code, thread stacks, the AOT
 * cache's mapping), bounded to 32 MiB–512 MiB: below 32 MiB Helidon collects all the time, and
 * above 512 MiB a serial-GC worker of this kind gains nothing but a bigger footprint. An explicit
 * {@code -Xmx} (or {@code -XX:MaxHeapSize=}) in {@code worker.jvm-options} wins over both.
 *
 * <p>The heap starts at 48 MiB at most ({@code -Xms}, unless the options set one): the JVM's own
 * initial heap is 1/64 of the host's memory, and a serial-GC young generation sized from it lets
 * a worker's RSS climb past 150 MiB under load before its first collection. It grows towards
 * {@code -Xmx} only when the live set needs it.
 *
 * <p>The young generation is sized for the requests in flight, not for the heap: 6 MiB
 * ({@code -Xmn6m}) with survivor spaces a sixth of it each ({@code -XX:SurvivorRatio=4}), unless
 * the options size it. Measured (docs/performance.md): the 16 MiB young generation that
 * {@code -Xms48m} gives is all touched during a start, 5 MiB of a worker's idle RSS (69 → 64
 * MiB); the larger survivors keep a loaded worker from promoting requests' objects (a 6 MiB young
 * generation with the default survivors reached 87–90 MiB under load, with these 68–69).
 */
final class WorkerHeap {

    static final long SUPERVISOR_MIB = 64;
    static final long FLOOR_MIB = 32;
    static final long CEILING_MIB = 512;
    static final long INITIAL_MIB = 48;
    static final long YOUNG_MIB = 6;
    private static final List<String> YOUNG_SIZED_BY =
            List.of("-Xmn", "-XX:NewSize=", "-XX:MaxNewSize=", "-XX:NewRatio=", "-XX:SurvivorRatio=");
    /** A cgroup v1 limit this high means "no limit" (the kernel's page-rounded LONG_MAX). */
    private static final long V1_UNLIMITED = 1L << 60;

    /** The options a worker starts with, and how its heap was chosen (for the start line). */
    record Choice(List<String> options, String described) {
    }

    /** Memory available to this supervisor and its workers, in bytes, and where the figure came from. */
    record Memory(long bytes, String source) {
    }

    private WorkerHeap() {
    }

    /** The auto heap in MiB for {@code jvms} worker JVMs sharing {@code memoryBytes}. */
    static long autoMib(long memoryBytes, int jvms) {
        long share = ((memoryBytes >> 20) - SUPERVISOR_MIB) / Math.max(1, jvms) / 2;
        return Math.clamp(share, FLOOR_MIB, CEILING_MIB);
    }

    /**
     * The worker's options with its heap: unchanged when they set one, else {@code -Xmx} first
     * (the configured number, or {@link #autoMib}), {@code -Xms} and the young generation
     * ({@value #YOUNG_MIB} MiB, a third of a smaller heap) unless the options set them.
     */
    static Choice choose(List<String> jvmOptions, OptionalLong configuredMib, Memory memory, int jvms) {
        if (jvmOptions.stream().anyMatch(o -> o.startsWith("-Xmx") || o.startsWith("-XX:MaxHeapSize="))) {
            return new Choice(jvmOptions, "jvm-options");
        }
        long mib;
        String described;
        if (configuredMib.isPresent()) {
            mib = configuredMib.getAsLong();
            described = mib + "m";
        } else {
            mib = autoMib(memory.bytes(), jvms);
            described = "auto:" + mib + "m(" + (memory.bytes() >> 20) + "MiB-" + memory.source() + "/" + jvms + "jvms)";
        }
        List<String> options = new ArrayList<>(jvmOptions.size() + 2);
        options.add("-Xmx" + mib + "m");
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Xms") || o.startsWith("-XX:InitialHeapSize="))) {
            options.add("-Xms" + Math.min(mib, INITIAL_MIB) + "m");
        }
        if (jvmOptions.stream().noneMatch(o -> YOUNG_SIZED_BY.stream().anyMatch(o::startsWith))) {
            // a third of the heap at most: an 8 MiB heap keeps an old generation to promote into
            options.add("-Xmn" + Math.min(YOUNG_MIB, Math.max(1, mib / 3)) + "m");
            options.add("-XX:SurvivorRatio=4");
        }
        options.addAll(jvmOptions);
        return new Choice(List.copyOf(options), described);
    }

    /**
     * The memory limit from the texts of cgroup v2 {@code memory.max}, cgroup v1
     * {@code memory.limit_in_bytes} and {@code /proc/meminfo} (each null when absent): the
     * cgroup's limit when it sets one, else MemTotal; 0 when none can be read.
     */
    static Memory memory(String v2Max, String v1Limit, String meminfo) {
        if (v2Max != null && !v2Max.isBlank() && !v2Max.strip().equals("max")) {
            try {
                return new Memory(Long.parseLong(v2Max.strip()), "cgroup");
            } catch (NumberFormatException e) {
                // fall through to the next source
            }
        }
        if (v1Limit != null && !v1Limit.isBlank()) {
            try {
                long limit = Long.parseLong(v1Limit.strip());
                if (limit < V1_UNLIMITED) {
                    return new Memory(limit, "cgroup");
                }
            } catch (NumberFormatException e) {
                // fall through to the host's memory
            }
        }
        if (meminfo != null) {
            for (String line : meminfo.lines().toList()) {
                if (line.startsWith("MemTotal:")) {
                    return new Memory(Long.parseLong(line.replaceAll("\\D", "")) * 1024, "host");
                }
            }
        }
        return new Memory(0, "unknown");
    }

    /** {@link #memory(String, String, String)} of this process's cgroup and host. */
    static Memory memory() {
        return memory(read("/sys/fs/cgroup/memory.max"), read("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
                      read("/proc/meminfo"));
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
