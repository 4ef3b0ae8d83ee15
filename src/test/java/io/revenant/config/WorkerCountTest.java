package io.revenant.config;

import java.util.OptionalInt;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class WorkerCountTest {

    @ParameterizedTest(name = "cpus={0} hostCpus={1} containers={2} explicit={3} -> {4} ({5})")
    @CsvSource({
            // cpus, hostCpus, containers, explicit (0 = auto), workers, basis
            "2,  2, 2, 0, 1, host-cpus-shared",
            "4,  4, 2, 0, 2, host-cpus-shared",
            "8,  8, 3, 0, 2, host-cpus-shared",
            "1,  1, 2, 0, 1, host-cpus-shared",   // never zero workers
            "16, 16, 1, 0, 16, host-cpus-shared",
            "2,  8, 4, 0, 2, cpu-quota",          // a quota is this container's share: not divided again
            "1,  8, 2, 0, 1, cpu-quota",
            "2,  2, 2, 3, 3, explicit",
            "64, 64, 2, 1, 1, explicit",
    })
    void resolves(int cpus, int hostCpus, int containers, int explicit, int workers, String basis) {
        WorkerCount count = WorkerCount.resolve(cpus, hostCpus, containers,
                                                explicit == 0 ? OptionalInt.empty() : OptionalInt.of(explicit));
        assertThat(count.workers(), is(workers));
        assertThat(count.basis(), is(basis));
        assertThat(count.logFields(), is("cpus=" + cpus + " containers=" + containers + " workers=" + workers
                                         + " basis=" + basis));
    }
}
