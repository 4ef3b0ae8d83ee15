package io.revenant.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.revenant.net.NativeCallException;
import io.revenant.net.PidFd;
import io.revenant.testing.FreshConnectionLoad;
import io.revenant.testing.Http;
import io.revenant.testing.KillLoop;


/**
 * The fresh-connection measures of issue 10, the same for Revenant and for the Node.js
 * reference: {@link FreshConnectionLoad} clients (a new TCP connection per {@code GET /}, Java, no retry) at
 * rest and under a kill storm, and the time from a kill to the first fresh connection answered
 * by another worker. Figures only; the caller makes the rows.
 */
final class FreshBench {

    /** What the load talks to: a port, how to read who answered, how to kill the answering worker. */
    record Target(String name, int port, Function<String, Optional<String>> identity, String killMethod,
                  String killPath) {

        static Target revenant(int port) {
            return new Target("Revenant", port, FreshConnectionLoad.REVENANT, "POST", "/chaos/kill");
        }

        static Target node(int port) {
            return new Target("Node.js", port, NodeRun.IDENTITY, "GET", "/workerKiller");
        }
    }

    /** A load under kills: the load's totals, kills answered and kill requests sent. */
    record Storm(FreshConnectionLoad.Report load, long kills, long attempts) {

        String cell() {
            FreshConnectionLoad.Report r = load;
            return String.format(Locale.ROOT, "%,d requests · **%,d refused** · %,d failed (%.1f %%) · goodput %,.0f/s"
                                 + " · p99 %.0f ms · %d kills%s", r.requests(), r.refused(), r.failed(),
                                 r.requests() == 0 ? 0 : 100.0 * r.failed() / r.requests(), r.goodput(),
                                 r.percentileMs(99), kills, r.failuresByKind().isEmpty() ? "" : " " + r.failuresByKind());
        }
    }

    private FreshBench() {
    }

    /** {@code clients} fresh-connection clients for {@code warmup} (discarded), then for {@code measure}. */
    static FreshConnectionLoad.Report calm(Target target, int clients, Duration warmup, Duration measure) throws InterruptedException {
        if (!warmup.isZero()) {
            try (FreshConnectionLoad load = load(target, clients, warmup)) {
                Thread.sleep(warmup);
            }
        }
        try (FreshConnectionLoad load = load(target, clients, measure)) {
            Thread.sleep(measure);
            return load.stop();
        }
    }

    /** The same load while the answering worker is killed through the same port every {@code period}. */
    static Storm storm(Target target, int clients, Duration duration, Duration period) throws InterruptedException {
        try (FreshConnectionLoad load = load(target, clients, duration.plusSeconds(30))) {
            try (KillLoop killer = new KillLoop("127.0.0.1", target.port(), target.killMethod(), target.killPath(), period,
                                                duration, Duration.ofMillis(5000))) {
                killer.join();
                return new Storm(load.stop(), killer.kills(), killer.attempts());
            }
        }
    }

    private static FreshConnectionLoad load(Target target, int clients, Duration limit) {
        return new FreshConnectionLoad(target.name(), "127.0.0.1", target.port(), "/", clients, limit,
                                       FreshConnectionLoad.CLIENT_TIMEOUT, target.identity());
    }

    // --- kill → a live worker accepting ------------------------------------------------------------

    /** Milliseconds from the kill's answer, and from the worker's exit, to the first answer by another worker. */
    record Takeover(List<Double> fromAnswer, List<Double> fromExit, long probeFailures) {

        String cell() {
            return "from the kill's answer " + Stats.of(fromAnswer).msFine() + " · from the worker's exit "
                   + Stats.of(fromExit).msFine() + (probeFailures == 0 ? "" : " · " + probeFailures + " probes failed");
        }

        double median() {
            return Stats.of(fromAnswer).median();
        }
    }

    /** How one run exposes its single worker between kills. */
    interface Victim {
        /** Waits until the run is settled (worker READY, spare warm) and returns the worker id and pid. */
        long[] awaitSettled() throws InterruptedException;
    }

    /**
     * {@code kills} times: kill the one worker with the target's kill request, then send fresh
     * connections, one after the other, until one is answered by a worker other than the victim.
     * The worker's exit is seen by polling {@code /proc/<pid>/stat} (a zombie or gone).
     */
    static Takeover takeover(Target target, Victim victims, int kills, Duration timeout) throws Exception {
        List<Double> fromAnswer = new ArrayList<>();
        List<Double> fromExit = new ArrayList<>();
        long probeFailures = 0;
        for (int i = 0; i < kills; i++) {
            long[] victim = victims.awaitSettled();
            long worker = victim[0];
            long pid = victim[1];
            CompletableFuture<Long> exit = new CompletableFuture<>();
            Thread watcher = Thread.ofPlatform().name("exit-watch").start(() -> exit.complete(awaitExit(pid, timeout)));
            Http.Response kill = Http.request(target.port(), target.killMethod(), target.killPath(), Http.ACCEPT_JSON, Duration.ofMillis(5000));
            long answered = System.nanoTime();
            if (kill.status() / 100 != 2) {
                watcher.interrupt();
                throw new IllegalStateException(target.name() + ": the kill was answered " + kill.status() + " " + kill.body());
            }
            long first = 0;
            long deadline = answered + timeout.toNanos();
            while (first == 0) {
                try {
                    Http.Response answer = Http.request(target.port(), "GET", "/", Http.ACCEPT_JSON, Duration.ofMillis(2000));
                    Optional<Long> by = workerOf(target, answer);
                    if (by.isPresent() && by.get() != worker) {
                        first = System.nanoTime();
                    }
                } catch (IOException e) {
                    probeFailures++;
                }
                if (first == 0 && System.nanoTime() > deadline) {
                    throw new IllegalStateException(target.name() + ": no other worker answered within "
                                                    + timeout.toSeconds() + " s of kill " + (i + 1));
                }
            }
            long exited = exit.get(timeout.toSeconds() + 5, TimeUnit.SECONDS);
            fromAnswer.add((first - answered) / 1e6);
            if (exited > 0) {
                fromExit.add((first - exited) / 1e6);
            }
        }
        return new Takeover(fromAnswer, fromExit, probeFailures);
    }

    /** The worker id in a 200 of Revenant (JSON) or of the Node.js reference (text). */
    private static Optional<Long> workerOf(Target target, Http.Response answer) {
        if (answer.status() != 200) {
            return Optional.empty();
        }
        return target.identity().apply(answer.body()).map(who -> Long.parseLong(who.substring(who.lastIndexOf('/') + 1)));
    }

    /**
     * nanoTime when {@code pid} has exited; -1 after {@code timeout}. A blocking wait on its pidfd:
     * a polling loop here took one of the 2 cores from the takeover it measures.
     */
    private static long awaitExit(long pid, Duration timeout) {
        try (PidFd process = PidFd.open(pid)) {
            return process.awaitExit((int) timeout.toMillis()) ? System.nanoTime() : -1;
        } catch (NativeCallException e) {
            return System.nanoTime();   // ESRCH: already gone
        }
    }

    /**
     * Revenant's victim: slot 1 of the admin /status once every worker is READY and the spare
     * warm, read twice 300 ms apart (the /status snapshot may still show the state from before the
     * last kill for a moment) and never the worker killed last.
     */
    static Victim revenant(DirectRun run, Duration timeout) {
        long[] last = {-1};
        return () -> {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Revenant not settled (READY + spare warm) within " + timeout.toSeconds()
                                                    + " s: " + run.slots());
                }
                if (!run.settled()) {
                    Thread.sleep(10);
                    continue;
                }
                Thread.sleep(300);
                List<DirectRun.Slot> slots = run.slots();
                Optional<DirectRun.Slot> slot = slots.stream().filter(s -> s.slot() == 1).findFirst();
                if (run.settled(slots) && slot.isPresent() && slot.get().worker() != last[0]) {
                    last[0] = slot.get().worker();
                    return new long[] {slot.get().worker(), slot.get().pid()};
                }
            }
        };
    }

    /** Node's victim: its one worker, once it answers. */
    static Victim node(NodeRun run, Duration timeout) {
        return () -> {
            run.awaitReady(timeout);
            Thread.sleep(300);
            long worker = run.answeringWorker().orElseThrow(() -> new IllegalStateException("Node.js: no answer"));
            List<Long> pids = run.workerPids();
            if (pids.size() != 1) {
                throw new IllegalStateException("Node.js: " + pids.size() + " workers, 1 expected");
            }
            return new long[] {worker, pids.getFirst()};
        };
    }
}
