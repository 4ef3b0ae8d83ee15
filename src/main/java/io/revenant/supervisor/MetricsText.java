package io.revenant.supervisor;

import java.util.TreeMap;
import java.util.function.LongUnaryOperator;

/**
 * The pool as Prometheus text exposition format 0.0.4, written by hand: the whole document is a
 * dozen lines, and a client library would cost the supervisor more memory than the text it
 * writes (docs/operations.md, "Metrics"). Names follow Prometheus' conventions, which
 * {@code promtool check metrics} lints: a {@code revenant_} prefix, base units in the name
 * ({@code _bytes}, {@code _seconds}), counters ending in {@code _total}, a HELP and a TYPE line
 * for every family, label values escaped.
 *
 * <p>Each worker's series carries {@code worker} beside {@code slot}: a slot has two workers
 * while one replaces the other and the spares share slot 0, and two samples of one series in a
 * scrape would make Prometheus reject the whole scrape.
 */
final class MetricsText {

    /** The {@code Content-Type} of the exposition format that this class writes. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private MetricsText() {
    }

    /**
     * @param pool      the loop's latest snapshot
     * @param loopAgeMs the age of the loop's last turn
     * @param rssKib    resident set size in KiB of a pid, negative when it is gone (injected: /proc in production)
     */
    static String of(PoolSnapshot pool, long loopAgeMs, LongUnaryOperator rssKib) {
        StringBuilder text = new StringBuilder(1024);
        family(text, "revenant_workers_ready", "gauge", "Workers that reported READY and are not stopping.")
                .append("revenant_workers_ready ").append(pool.ready()).append('\n');
        family(text, "revenant_workers_target", "gauge", "Workers the pool should run (the worker count).")
                .append("revenant_workers_target ").append(pool.target()).append('\n');
        family(text, "revenant_workers_min_ready", "gauge", "READY workers below which /health answers 503.")
                .append("revenant_workers_min_ready ").append(pool.minReady()).append('\n');

        family(text, "revenant_worker_restarts_total", "counter", "Worker restarts since the supervisor started, by exit cause.");
        // sorted, so that two scrapes of the same state are the same text
        new TreeMap<>(pool.restartsByCause()).forEach((cause, n) ->
                text.append("revenant_worker_restarts_total{cause=\"").append(labelValue(cause)).append("\"} ")
                        .append(n).append('\n'));

        family(text, "revenant_worker_resident_memory_bytes", "gauge", "Resident set size of each worker process.");
        for (PoolSnapshot.SlotView slot : pool.slots()) {
            long kib = slot.pid() > 0 ? rssKib.applyAsLong(slot.pid()) : -1;
            if (kib >= 0) {
                text.append("revenant_worker_resident_memory_bytes").append(labels(slot)).append(' ').append(kib * 1024)
                        .append('\n');
            }
        }
        family(text, "revenant_worker_start_time_seconds", "gauge",
               "Start time of each worker process since the Unix epoch.");
        for (PoolSnapshot.SlotView slot : pool.slots()) {
            if (slot.pid() > 0 && slot.startedAt() != null) {
                text.append("revenant_worker_start_time_seconds").append(labels(slot)).append(' ')
                        .append(seconds(slot.startedAt().toEpochMilli())).append('\n');
            }
        }
        family(text, "revenant_supervisor_resident_memory_bytes", "gauge", "Resident set size of the supervisor process.")
                .append("revenant_supervisor_resident_memory_bytes ").append(Math.max(0, rssKib.applyAsLong(pool.pid())) * 1024)
                .append('\n');
        family(text, "revenant_supervisor_start_time_seconds", "gauge", "Start time of the supervisor since the Unix epoch.")
                .append("revenant_supervisor_start_time_seconds ").append(seconds(pool.startedAt().toEpochMilli()))
                .append('\n');
        family(text, "revenant_supervisor_loop_age_seconds", "gauge",
               "Age of the supervisor loop's last turn; it turns at least once a second.")
                .append("revenant_supervisor_loop_age_seconds ").append(seconds(loopAgeMs)).append('\n');
        family(text, "revenant_log_dropped_lines_total", "counter",
               "Output lines dropped because whatever reads the supervisor's output fell behind.")
                .append("revenant_log_dropped_lines_total ").append(pool.logLinesDropped()).append('\n');
        family(text, "revenant_build_info", "gauge", "Always 1; the labels name the running version and instance.")
                .append("revenant_build_info{version=\"").append(labelValue(pool.version())).append("\",instance_id=\"")
                .append(labelValue(pool.instance())).append("\"} 1\n");
        return text.toString();
    }

    private static StringBuilder family(StringBuilder text, String name, String type, String help) {
        return text.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String labels(PoolSnapshot.SlotView slot) {
        return "{slot=\"" + slot.slot() + "\",worker=\"" + slot.worker() + "\"}";
    }

    /** Milliseconds as seconds with three decimals, without the rounding of a double. */
    private static String seconds(long millis) {
        return millis / 1000 + "." + String.format("%03d", Math.abs(millis % 1000));
    }

    /** A label value as the format wants it: backslash, double quote and line feed escaped. */
    static String labelValue(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
