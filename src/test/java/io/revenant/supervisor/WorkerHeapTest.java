package io.revenant.supervisor;

import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

class WorkerHeapTest {

    private static final long MIB = 1 << 20;

    @ParameterizedTest(name = "{0} MiB for {1} JVMs -> -Xmx{2}m")
    @CsvSource({
            "1024, 2, 240",      // (1024 - 64) / 2 / 2
            "1024, 4, 120",
            "512, 3, 74",        // a small container, 2 workers + 1 spare
            "256, 4, 32",        // 24: the floor
            "64, 1, 32",         // nothing left after the supervisor: the floor
            "8192, 2, 512",      // 2032: the ceiling
            "24105, 1, 512",
            "1024, 0, 480",      // no JVM counted yet: as one
    })
    void autoDividesTheMemoryBetweenTheJvmsWithinFloorAndCeiling(long memoryMib, int jvms, long heapMib) {
        assertThat(WorkerHeap.autoMib(memoryMib * MIB, jvms), is(heapMib));
    }

    @Test
    void autoGoesFirstAndIsDescribed() {
        WorkerHeap.Choice choice = WorkerHeap.choose(List.of("-XX:+UseSerialGC"), OptionalLong.empty(),
                                                     new WorkerHeap.Memory(1024 * MIB, "cgroup"), 2);
        assertThat(choice.options(), contains("-Xmx240m", "-Xms48m", "-Xmn6m", "-XX:SurvivorRatio=4", "-XX:+UseSerialGC"));
        assertThat(choice.described(), is("auto:240m(1024MiB-cgroup/2jvms)"));
    }

    @Test
    void aNumberIsUsedAsItIs() {
        WorkerHeap.Choice choice = WorkerHeap.choose(List.of(), OptionalLong.of(48), new WorkerHeap.Memory(1024 * MIB, "host"), 2);
        assertThat(choice.options(), contains("-Xmx48m", "-Xms48m", "-Xmn6m", "-XX:SurvivorRatio=4"));
        assertThat(choice.described(), is("48m"));
    }

    @Test
    void theHeapStartsSmallUnlessTheOptionsSayOtherwise() {
        WorkerHeap.Memory memory = new WorkerHeap.Memory(1024 * MIB, "host");
        assertThat(WorkerHeap.choose(List.of(), OptionalLong.of(32), memory, 1).options(),
                   contains("-Xmx32m", "-Xms32m", "-Xmn6m", "-XX:SurvivorRatio=4"));
        assertThat(WorkerHeap.choose(List.of("-Xms128m"), OptionalLong.of(1024), memory, 1).options(),
                   contains("-Xmx1024m", "-Xmn6m", "-XX:SurvivorRatio=4", "-Xms128m"));
    }

    @Test
    void aSmallHeapKeepsTwoThirdsForTheOldGeneration() {
        assertThat(WorkerHeap.choose(List.of(), OptionalLong.of(8), new WorkerHeap.Memory(1024 * MIB, "host"), 1).options(),
                   contains("-Xmx8m", "-Xms8m", "-Xmn2m", "-XX:SurvivorRatio=4"));
    }

    @ParameterizedTest(name = "{0} sizes the young generation instead")
    @CsvSource({"-Xmn32m", "-XX:NewSize=8m", "-XX:MaxNewSize=64m", "-XX:NewRatio=3", "-XX:SurvivorRatio=8"})
    void theYoungGenerationIsSmallUnlessTheOptionsSizeIt(String option) {
        WorkerHeap.Choice choice = WorkerHeap.choose(List.of(option), OptionalLong.of(256),
                                                     new WorkerHeap.Memory(1024 * MIB, "host"), 1);
        assertThat(choice.options(), contains("-Xmx256m", "-Xms48m", option));
    }

    @ParameterizedTest(name = "{0} wins")
    @CsvSource({"-Xmx64m", "-XX:MaxHeapSize=67108864"})
    void anExplicitHeapInTheJvmOptionsWins(String option) {
        WorkerHeap.Choice choice = WorkerHeap.choose(List.of("-Xss512k", option), OptionalLong.of(48),
                                                     new WorkerHeap.Memory(1024 * MIB, "host"), 2);
        assertThat(choice.options(), contains("-Xss512k", option));
        assertThat(choice.described(), is("jvm-options"));
    }

    @ParameterizedTest(name = "v2={0} v1={1} -> {2} bytes from {3}")
    @CsvSource(nullValues = "null", value = {
            "1073741824, null, 1073741824, cgroup",            // cgroup v2 limit
            "max, null, 8589934592, host",                     // v2 without a limit: the host's MemTotal
            "null, 536870912, 536870912, cgroup",              // cgroup v1 limit
            "null, 9223372036854771712, 8589934592, host",     // v1 "unlimited" (page-rounded LONG_MAX)
            "null, null, 8589934592, host",
    })
    void memoryComesFromTheCgroupLimitElseTheHost(String v2, String v1, long bytes, String source) {
        WorkerHeap.Memory memory = WorkerHeap.memory(v2 == null ? null : v2 + "\n", v1,
                                                     "MemTotal:        8388608 kB\nMemFree: 1 kB\n");
        assertThat(memory, is(new WorkerHeap.Memory(bytes, source)));
    }
}
