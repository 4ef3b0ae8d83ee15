package io.revenant.config;

import java.util.OptionalInt;

/**
 * How many workers a supervisor runs. Pure arithmetic, so a table of cases covers it.
 *
 * <p>{@code auto} is {@code max(1, cpus / containers)} when the JVM sees the whole host, because
 * {@code containers} supervisors then share those CPUs. When the JVM already runs under its own
 * CPU quota or cpuset ({@code availableProcessors()} is less than the host's online CPUs), the
 * quota <em>is</em> this container's share, so it is not divided again.
 *
 * @param workers    the resulting worker count
 * @param cpus       {@code Runtime.availableProcessors()} as seen by the supervisor
 * @param containers {@code supervisor.containers}
 * @param basis      why: {@code explicit}, {@code host-cpus-shared} or {@code cpu-quota}
 */
public record WorkerCount(int workers, int cpus, int containers, String basis) {

    /**
     * @param cpus       processors the JVM reports (already reflects a container quota)
     * @param hostCpus   processors online on the host, or the same as {@code cpus} if unknown
     * @param containers containers sharing the host
     * @param explicit   {@code supervisor.workers} when it is a number
     */
    public static WorkerCount resolve(int cpus, int hostCpus, int containers, OptionalInt explicit) {
        if (explicit.isPresent()) {
            return new WorkerCount(explicit.getAsInt(), cpus, containers, "explicit");
        }
        if (cpus < hostCpus) {
            return new WorkerCount(Math.max(1, cpus), cpus, containers, "cpu-quota");
        }
        return new WorkerCount(Math.max(1, cpus / containers), cpus, containers, "host-cpus-shared");
    }

    /** The startup line: {@code cpus=4 containers=2 workers=2 basis=host-cpus-shared}. */
    public String logFields() {
        return "cpus=" + cpus + " containers=" + containers + " workers=" + workers + " basis=" + basis;
    }
}
