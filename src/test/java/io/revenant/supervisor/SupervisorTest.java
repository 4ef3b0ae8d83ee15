package io.revenant.supervisor;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.revenant.config.ConfigException;
import io.revenant.config.ConfigLoader;
import io.revenant.config.RevenantConfig;
import io.revenant.protocol.Notice;
import io.revenant.protocol.SupervisorExit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The loop's decisions with a fake clock and fake worker processes: restarts and back-off, the
 * start limit, spare promotion, rolling replacement, reload and its rollback, the watchdog and
 * a stall of the supervisor itself. No process, socket or real time is involved.
 */
class SupervisorTest {

    private static final String BASE = """
            supervisor: {workers: 2, restart-sec: 100ms, restart-steps: 5, restart-max-delay-sec: 5,
                         start-limit-burst: 10, start-limit-interval-sec: 120, watchdog-sec: 0}
            """;

    private long now = 1_000;
    private final List<FakeWorker> spawned = new ArrayList<>();
    private final List<Long> probes = new ArrayList<>();
    private final AtomicReference<RevenantConfig> onDisk = new AtomicReference<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final EventLog log = new EventLog(new PrintStream(out, true, StandardCharsets.UTF_8));
    private Supervisor supervisor;

    @Test
    void startsTheTargetThenRestartsADeadWorkerAfterItsBackOff() throws Exception {
        start(BASE);
        assertThat(turn(), is(OptionalInt.empty()));
        assertThat(spawned, hasSize(2));
        ready(1);
        ready(2);

        exit(1, 1);
        turn();
        assertThat("nothing before restart-sec", spawned, hasSize(2));
        advance(100);
        turn();
        assertThat(spawned, hasSize(3));
        assertThat(spawned.get(2).slot, is(1));
    }

    @ParameterizedTest(name = "failure {0} in a row before READY waits {1} ms")
    @CsvSource({"1, 100", "2, 219", "3, 478", "4, 1046", "5, 2287", "6, 5000", "7, 5000"})
    void theBackOffGrowsWithFailuresBeforeReady(int failures, long delayMs) throws Exception {
        start(BASE);
        turn();
        long id = 1;
        for (int i = 1; i < failures; i++) {
            exit(id, 1);
            advance(10_000);
            turn();
            id = spawned.getLast().id;
        }
        exit(id, 1);
        advance(delayMs - 1);
        turn();
        int before = spawned.size();
        advance(1);
        turn();
        assertThat(spawned.size(), is(before + 1));
    }

    /** Issue 11 finding 4: code 0 before READY is a failed start, so the limit is reached. */
    @Test
    void theStartLimitStopsThePoolWithTheBootFailureCode() throws Exception {
        start(BASE.replace("start-limit-burst: 10", "start-limit-burst: 2").replace("workers: 2", "workers: 1"));
        turn();
        for (int i = 0; i < 3; i++) {
            exit(spawned.getLast().id, 0);
            advance(10_000);
            turn();
        }
        assertThat(supervisor.stopping(), is(true));
        assertThat(spawned, hasSize(3));
        assertThat(turn(), is(OptionalInt.of(SupervisorExit.BOOT_FAILURE)));
    }

    @Test
    void aSpareIsBoundToTheSlotOfADeadWorker() throws Exception {
        start("supervisor: {workers: 1, spare: 1, watchdog-sec: 0}\n");
        turn();
        assertThat(spawned, hasSize(2));
        FakeWorker slotWorker = spawned.get(0);
        FakeWorker spare = spawned.get(1);
        assertThat(spare.spare, is(true));
        notify(spare.id, new Notice.Spare(spare.id, spare.pid()));
        ready(slotWorker.id);

        exit(slotWorker.id, 86);
        turn();
        assertThat(spare.boundTo, is(1));
        assertThat("no JVM starts beside the spare while it takes over", spawned, hasSize(2));
        ready(spare.id);
        assertThat(supervisor.slots().iterator().next().current.id, is(spare.id));
        turn();
        assertThat("the next spare starts once the bound one is READY", spawned, hasSize(3));
        assertThat(spawned.get(2).spare, is(true));
    }

    @Test
    void aWarmSpareTakesTheSlotOfAKilledWorkerAtOnceButACrashLoopWaitsItsBackOff() throws Exception {
        start("supervisor: {workers: 1, spare: 1, watchdog-sec: 0, restart-sec: 100ms, restart-reset-sec: 10}\n");
        turn();
        FakeWorker slotWorker = spawned.get(0);
        FakeWorker spare = spawned.get(1);
        notify(spare.id, new Notice.Spare(spare.id, spare.pid()));
        ready(slotWorker.id);
        advance(10_000);   // READY for restart-reset-sec: its death is a first failure

        exit(slotWorker.id, 128 + 9);   // SIGKILL from outside, not the chaos endpoint
        turn();
        assertThat("bound in the same turn, without restart-sec", spare.boundTo, is(1));
        ready(spare.id);
        turn();
        FakeWorker nextSpare = spawned.get(2);
        assertThat(nextSpare.spare, is(true));
        notify(nextSpare.id, new Notice.Spare(nextSpare.id, nextSpare.pid()));

        advance(50);
        exit(spare.id, 128 + 9);   // the bound spare dies 50 ms after READY: a crash loop
        turn();
        assertThat("a second failure in a row waits its back-off, spare or not", nextSpare.boundTo, is(-1));
        advance(250);
        turn();
        assertThat(nextSpare.boundTo, is(1));
    }

    @Test
    void theNextSpareStartsWhenTheBoundSpareDiesBeforeReady() throws Exception {
        start("supervisor: {workers: 1, spare: 1, watchdog-sec: 0}\n");
        turn();
        FakeWorker slotWorker = spawned.get(0);
        FakeWorker spare = spawned.get(1);
        notify(spare.id, new Notice.Spare(spare.id, spare.pid()));
        ready(slotWorker.id);
        exit(slotWorker.id, 86);
        turn();
        assertThat(spare.boundTo, is(1));
        assertThat(spawned, hasSize(2));

        exit(spare.id, 1);
        advance(10_000);
        turn();
        assertThat("the slot restarts and a new spare starts", spawned, hasSize(4));
        assertThat(spawned.stream().skip(2).filter(w -> w.spare).count(), is(1L));
    }

    @Test
    void aReloadReplacesWorkersOneAtATimeStartNewThenStopOld() throws Exception {
        start(BASE);
        turn();
        ready(1);
        ready(2);
        onDisk.set(config(BASE + "worker: {jvm-options: [-Xss1m]}\n"));
        supervisor.handle(new Event.ReloadRequested("admin"), now);
        turn();
        assertThat("one successor at a time", spawned, hasSize(3));
        assertThat(spawned.get(2).config.worker().jvmOptions(), contains("-Xss1m"));
        ready(3);
        assertThat(spawned.get(0).terminated, is(true));
        assertThat(spawned.get(1).terminated, is(false));
        turn();
        assertThat(spawned, hasSize(4));
        ready(4);
        assertThat(spawned.get(1).terminated, is(true));
    }

    /** Issue 11 finding 4: a reload whose new worker fails returns to the config that worked. */
    @Test
    void aReloadWhoseWorkerFailsBeforeReadyRollsBack() throws Exception {
        start(BASE.replace("workers: 2", "workers: 1"));
        turn();
        ready(1);
        RevenantConfig bad = config(BASE.replace("workers: 2", "workers: 1") + "worker: {jvm-options: [-XX:+NoSuchFlag]}\n");
        onDisk.set(bad);
        supervisor.handle(new Event.ReloadRequested("file"), now);
        turn();
        assertThat(spawned.get(1).config, is(bad));
        exit(2, 1);
        assertThat(supervisor.config().worker().jvmOptions(), is(empty()));
        assertThat(spawned.get(0).terminated, is(false));

        exit(1, 137);
        advance(10_000);
        turn();
        assertThat("the slot restarts with the options that worked", spawned.getLast().config.worker().jvmOptions(),
                   is(empty()));
    }

    @Test
    void aBadReloadKeepsTheRunningConfiguration() throws Exception {
        start(BASE);
        turn();
        ready(1);
        ready(2);
        supervisor.handle(new Event.ReloadRequested("admin"), now);
        turn();
        assertThat(spawned, hasSize(2));
        assertThat(log.writer().flush(5000), is(true));
        assertThat(out.toString(StandardCharsets.UTF_8).contains("event=reload-rejected origin=admin"), is(true));
    }

    @Test
    void theWatchdogDumpsThenKillsASilentWorker() throws Exception {
        start(BASE.replace("watchdog-sec: 0", "watchdog-sec: 2"));
        turn();
        ready(1);
        ready(2);
        advance(1_000);
        turn();
        assertThat("a probe each at watchdog / 2", probes, contains(1L, 2L));
        supervisor.handle(new Event.ProbeAnswered(2, true, "200"), now);
        advance(1_001);
        turn();
        assertThat(spawned.get(0).dumped, is(true));
        assertThat(spawned.get(1).dumped, is(false));
        advance(1_000);
        turn();
        assertThat(spawned.get(0).killed, is(true));
    }

    /** Issue 11 finding 5: the supervisor's own stall is not the workers' silence. */
    @Test
    void aStallOfTheSupervisorGivesEveryWorkerAFreshWindow() throws Exception {
        start(BASE.replace("watchdog-sec: 0", "watchdog-sec: 2"));
        turn();
        ready(1);
        ready(2);
        advance(10_000);
        turn();
        assertThat(spawned.stream().noneMatch(worker -> worker.dumped || worker.killed), is(true));
        assertThat("probed again at once", probes, contains(1L, 2L));
    }

    @Test
    void aSecondTermKillsWhatIsLeft() throws Exception {
        start(BASE);
        turn();
        ready(1);
        ready(2);
        supervisor.handle(new Event.SignalReceived("TERM"), now);
        assertThat(spawned.stream().allMatch(worker -> worker.terminated), is(true));
        supervisor.handle(new Event.SignalReceived("TERM"), now);
        turn();
        assertThat(spawned.stream().allMatch(worker -> worker.killed), is(true));
        exit(1, 137);
        exit(2, 137);
        assertThat(turn(), is(OptionalInt.of(SupervisorExit.CLEAN)));
    }

    @Test
    void aWorkerMovesOnlyAlongTheStateTable() {
        WorkerProcess worker = new WorkerProcess(1, 1, new FakeWorker(1, 1, false, null), null, null, 0);
        worker.moveTo(WorkerProcess.State.READY);
        assertThrows(IllegalStateException.class, () -> worker.moveTo(WorkerProcess.State.STARTING));
        worker.moveTo(WorkerProcess.State.STOPPING);
        assertThrows(IllegalStateException.class, () -> worker.moveTo(WorkerProcess.State.READY));
    }

    // ---- the fake world -----------------------------------------------------------------------

    private void start(String yaml) throws ConfigException {
        RevenantConfig config = config(yaml);
        onDisk.set(null);
        supervisor = new Supervisor(config, () -> {
            RevenantConfig next = onDisk.get();
            if (next == null) {
                throw new ConfigException(List.of(new io.revenant.config.ConfigError("test.yaml", "x", "broken")));
            }
            return next;
        }, 2, 2, (id, slot, spare, cfg) -> {
            FakeWorker worker = new FakeWorker(id, slot, spare, cfg);
            spawned.add(worker);
            return worker;
        }, (worker, port, timeout) -> probes.add(worker), () -> now, log);
    }

    private static RevenantConfig config(String yaml) throws ConfigException {
        return ConfigLoader.loadYaml(yaml, "test.yaml");
    }

    private OptionalInt turn() {
        supervisor.beginTurn(now);
        return supervisor.tick(now);
    }

    private void advance(long millis) {
        now += millis;
    }

    private void ready(long id) {
        notify(id, new Notice.Ready(id, 1000 + id, 40_000 + (int) id, 1, 0, 0));
    }

    private void notify(long id, Notice notice) {
        supervisor.handle(new Event.WorkerNotified(id, notice), now);
    }

    private void exit(long id, int code) {
        supervisor.handle(new Event.WorkerExited(id, code), now);
    }

    private static final class FakeWorker implements WorkerSpawner.SpawnedWorker {

        final long id;
        final int slot;
        final boolean spare;
        final RevenantConfig config;
        boolean terminated;
        boolean killed;
        boolean dumped;
        int boundTo = -1;

        FakeWorker(long id, int slot, boolean spare, RevenantConfig config) {
            this.id = id;
            this.slot = slot;
            this.spare = spare;
            this.config = config;
        }

        @Override
        public long pid() {
            return 10_000 + id;
        }

        @Override
        public void terminate() {
            terminated = true;
        }

        @Override
        public void kill() {
            killed = true;
        }

        @Override
        public void dumpThreads() {
            dumped = true;
        }

        @Override
        public long rssKib() {
            return 1024;
        }

        @Override
        public void forget() {
        }

        @Override
        public boolean bind(int slot) {
            boundTo = slot;
            return true;
        }
    }
}
