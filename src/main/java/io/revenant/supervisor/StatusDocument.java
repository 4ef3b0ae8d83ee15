package io.revenant.supervisor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.function.LongUnaryOperator;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import io.revenant.protocol.JsonText;
import io.revenant.protocol.WorkerStats;

/**
 * The admin {@code GET /status} document: the loop's last snapshot, each worker's RSS from
 * {@code /proc}, and each serving worker's request counters, asked from its loopback admin
 * listener at the time of the request (in parallel, so one stuck worker costs one timeout, not
 * one per worker). Keys are kebab-case; scripts and {@code revenant status} read them, so keys are
 * only ever added.
 */
final class StatusDocument {

    /** How long one worker may take to answer {@code /stats}: a worker slower than this shows {@code null}. */
    static final Duration STATS_TIMEOUT = Duration.ofMillis(500);

    /**
     * Where the figures that are not in the snapshot come from; a unit test gives fixed ones.
     *
     * @param nowMillis wall clock, for uptimes
     * @param rssKib    resident set of a pid in KiB, or negative when unknown
     * @param stats     request counters of the worker on an admin port
     */
    record Sources(LongUnaryOperator rssKib, IntFunction<Optional<WorkerStats>> stats, long nowMillis) {

        static Sources live() {
            return new Sources(ProcStatus::rssKib, port -> WorkerStats.ask(port, STATS_TIMEOUT), System.currentTimeMillis());
        }
    }

    private StatusDocument() {
    }

    static JsonObject of(PoolSnapshot pool, long loopAgeMs, Sources sources) {
        Health health = Health.of(pool.ready(), pool.minReady(), pool.target(), pool.stopping(), loopAgeMs);
        JsonObjectBuilder restarts = JsonText.object();
        pool.restartsByCause().forEach(restarts::add);
        List<Optional<WorkerStats>> stats = askAll(pool.slots(), sources.stats());
        JsonArrayBuilder slots = JsonText.builders().createArrayBuilder();
        for (int i = 0; i < pool.slots().size(); i++) {
            slots.add(slot(pool.slots().get(i), stats.get(i), sources));
        }
        return JsonText.object()
                .add("instance", pool.instance())
                .add("version", pool.version())
                .add("pid", pool.pid())
                .add("started", pool.startedAt().toString())
                .add("config", pool.configSource())
                .add("worker-count", pool.workerCount())
                .add("workers", pool.target())
                .add("ready", pool.ready())
                .add("min-ready", pool.minReady())
                .add("stopping", pool.stopping())
                .add("loop-age-ms", loopAgeMs)
                .add("log-lines-dropped", pool.logLinesDropped())
                .add("restarts-by-cause", restarts)
                .add("health", health.status())
                .add("rss-kib", Math.max(0, sources.rssKib().applyAsLong(pool.pid())))
                .add("slots", slots)
                .build();
    }

    private static JsonObjectBuilder slot(PoolSnapshot.SlotView slot, Optional<WorkerStats> stats, Sources sources) {
        JsonObjectBuilder json = JsonText.object()
                .add("slot", slot.slot())
                .add("worker", slot.worker())
                .add("pid", slot.pid())
                .add("state", slot.state())
                .add("admin-port", slot.adminPort())
                .add("restarts", slot.restarts())
                .add("last-exit", slot.lastExit())
                .add("uptime-ms", slot.startedAt() == null ? 0 : sources.nowMillis() - slot.startedAt().toEpochMilli())
                .add("rss-kib", slot.pid() < 0 ? 0 : Math.max(0, sources.rssKib().applyAsLong(slot.pid())));
        if (!serving(slot)) {
            // a spare or an empty slot has served no public request
            return json.add("requests-served", 0).add("requests-in-flight", 0);
        }
        // null: the worker did not answer /stats in time, so the count is unknown, not 0
        stats.ifPresentOrElse(s -> json.add("requests-served", s.served()).add("requests-in-flight", s.inFlight()),
                              () -> json.addNull("requests-served").addNull("requests-in-flight"));
        return json;
    }

    private static boolean serving(PoolSnapshot.SlotView slot) {
        return slot.slot() > 0 && slot.adminPort() > 0;
    }

    private static List<Optional<WorkerStats>> askAll(List<PoolSnapshot.SlotView> slots, IntFunction<Optional<WorkerStats>> ask) {
        List<Optional<WorkerStats>> answers = new ArrayList<>(slots.size());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Optional<WorkerStats>>> pending = new ArrayList<>(slots.size());
            for (PoolSnapshot.SlotView slot : slots) {
                pending.add(serving(slot) ? threads.submit(() -> ask.apply(slot.adminPort())) : null);
            }
            for (Future<Optional<WorkerStats>> answer : pending) {
                answers.add(answer == null ? Optional.empty() : answer.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            while (answers.size() < slots.size()) {
                answers.add(Optional.empty());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("asking a worker for its counters failed", e.getCause());
        }
        return answers;
    }
}
