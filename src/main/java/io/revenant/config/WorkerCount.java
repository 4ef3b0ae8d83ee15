package io.revenant.config;

import java.util.OptionalInt;

/**
 * How many workers a supervisor runs. Pure arithmetic, so a table of cases covers it.
 *
 * <p>{@code auto} is {@code max(1, (cpus - reserveCpus) / containers)} when the JVM sees the whole
 * host, because {@code containers} supervisors then share those CPUs and {@code reserveCpus} of
 * them are kept for the rest of the host (nginx, the kernel's network work). When the JVM already
 * runs under its own CPU quota or cpuset ({@code availableProcessors()} is less than the host's
 * online CPUs), the quota <em>is</em> this container's share: it is not divided again, and the
 * reserve is not taken from it either, since whoever set the quota already left the rest of the
 * host outside it.
 *
 * @param workers     the resulting worker count
 * @param cpus        {@code Runtime.availableProcessors()} as seen by the supervisor
 * @param reserveCpus {@code supervisor.reserve-cpus}, shown even where it does not apply
 * @param containers  {@code supervisor.containers}
 * @param basis       why: {@code explicit}, {@code host-cpus-shared} or {@code cpu-quota}
 */
public record WorkerCount(int workers, int cpus, int reserveCpus, int containers, String basis) {

    /** As {@link #resolve(int, int, int, int, OptionalInt)} with the settings of {@code supervisor.*}. */
    public static WorkerCount resolve(int cpus, int hostCpus, SupervisorConfig supervisor) {
        return resolve(cpus, hostCpus, supervisor.containers(), supervisor.reserveCpus(), supervisor.workers());
    }

    /**
     * @param cpus        processors the JVM reports (already reflects a container quota)
     * @param hostCpus    processors online on the host, or the same as {@code cpus} if unknown
     * @param containers  containers sharing the host
     * @param reserveCpus processors kept for the rest of the host
     * @param explicit    {@code supervisor.workers} when it is a number
     */
    public static WorkerCount resolve(int cpus, int hostCpus, int containers, int reserveCpus, OptionalInt explicit) {
        if (explicit.isPresent()) {
            return new WorkerCount(explicit.getAsInt(), cpus, reserveCpus, containers, "explicit");
        }
        if (cpus < hostCpus) {
            return new WorkerCount(Math.max(1, cpus), cpus, reserveCpus, containers, "cpu-quota");
        }
        return new WorkerCount(Math.max(1, (cpus - reserveCpus) / containers), cpus, reserveCpus, containers,
                               "host-cpus-shared");
    }

    /** The startup line: {@code cpus=16 reserve-cpus=1 containers=3 workers=5 basis=host-cpus-shared}. */
    public String logFields() {
        return "cpus=" + cpus + " reserve-cpus=" + reserveCpus + " containers=" + containers + " workers=" + workers
               + " basis=" + basis;
    }
}
