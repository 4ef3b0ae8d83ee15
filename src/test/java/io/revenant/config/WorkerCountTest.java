package io.revenant.config;

import java.util.OptionalInt;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class WorkerCountTest {

    @ParameterizedTest(name = "cpus={0} hostCpus={1} containers={2} reserve={3} explicit={4} -> {5} ({6})")
    @CsvSource({
            // cpus, hostCpus, containers, reserve-cpus, explicit (0 = auto), workers, basis
            "2,  2, 2, 0, 0, 1, host-cpus-shared",
            "4,  4, 2, 0, 0, 2, host-cpus-shared",
            "8,  8, 3, 0, 0, 2, host-cpus-shared",
            "1,  1, 2, 0, 0, 1, host-cpus-shared",   // never zero workers
            "16, 16, 1, 0, 0, 16, host-cpus-shared",
            // supervisor.reserve-cpus: (cpus - reserve) / containers, rounded down, at least 1
            "16, 16, 3, 1, 0, 5, host-cpus-shared",  // the original setup: 3 x 5 on 16 cores, one kept
            "16, 16, 3, 0, 0, 5, host-cpus-shared",  // rounding already left one free here
            "16, 16, 1, 1, 0, 15, host-cpus-shared",
            "8,  8, 2, 2, 0, 3, host-cpus-shared",
            "2,  2, 1, 2, 0, 1, host-cpus-shared",   // reserving every CPU still runs one worker
            "2,  2, 1, 5, 0, 1, host-cpus-shared",   // a reserve above the CPUs too
            "2,  8, 4, 0, 0, 2, cpu-quota",          // a quota is this container's share: not divided again
            "1,  8, 2, 0, 0, 1, cpu-quota",
            "4,  8, 2, 1, 0, 4, cpu-quota",          // ... and the reserve is not taken from it
            "2,  2, 2, 0, 3, 3, explicit",
            "64, 64, 2, 1, 1, 1, explicit",
            "16, 16, 3, 1, 7, 7, explicit",          // a number wins over the reserve
    })
    void resolves(int cpus, int hostCpus, int containers, int reserve, int explicit, int workers, String basis) {
        WorkerCount count = WorkerCount.resolve(cpus, hostCpus, containers, reserve,
                                                explicit == 0 ? OptionalInt.empty() : OptionalInt.of(explicit));
        assertThat(count.workers(), is(workers));
        assertThat(count.basis(), is(basis));
        assertThat(count.logFields(), is("cpus=" + cpus + " reserve-cpus=" + reserve + " containers=" + containers
                                         + " workers=" + workers + " basis=" + basis));
    }
}
