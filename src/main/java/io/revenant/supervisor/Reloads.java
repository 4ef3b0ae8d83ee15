package io.revenant.supervisor;

import java.util.ArrayList;
import java.util.List;

import io.revenant.config.ConfigError;
import io.revenant.config.ConfigException;
import io.revenant.config.RevenantConfig;
import io.revenant.config.WorkerCount;

/**
 * Which configuration is in force, which one last produced a READY worker, and the two moves
 * between them: a reload (SIGHUP, /reload, a file edit), and its rollback when workers of the
 * new configuration fail before READY. The worker count and the start limit follow the
 * configuration in force. Loop-thread only.
 */
final class Reloads {

    private final ConfigSource source;
    private final int cpus;
    private final int hostCpus;
    private final Pool pool;
    private final EventLog log;

    private RevenantConfig config;
    /** The configuration the last READY worker was started with (null before the first): where a rollback goes. */
    private RevenantConfig lastGood;
    private WorkerCount count;
    private StartLimit startLimit;

    Reloads(RevenantConfig config, ConfigSource source, int cpus, int hostCpus, Pool pool, EventLog log) {
        this.source = source;
        this.cpus = cpus;
        this.hostCpus = hostCpus;
        this.pool = pool;
        this.log = log;
        apply(config);
    }

    RevenantConfig config() {
        return config;
    }

    WorkerCount count() {
        return count;
    }

    StartLimit startLimit() {
        return startLimit;
    }

    /** A worker reported READY: the configuration it was started with is proven. */
    void proven(WorkerProcess worker) {
        lastGood = worker.config;
    }

    /** Adds or retires slots to match the worker count in force. */
    void resize(long now) {
        pool.resize(count.workers(), config.supervisor().timeoutStop(), now);
    }

    /**
     * Reads the configuration again and, unless it is broken or unchanged, puts it in force:
     * spares are restarted, and the slots replaced one at a time when the plan says so.
     */
    void reload(String origin, long now) {
        RevenantConfig loaded;
        try {
            loaded = source.load();
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                log.event("reload-rejected", "origin", origin, "file", error.source(), "key", error.key(),
                          "error", error.detail());
            }
            log.event("reload-rejected", "origin", origin, "message", "the running configuration stays in force");
            return;
        }
        ReloadPlan plan = ReloadPlan.of(config, loaded, origin);
        if (plan.serverKept()) {
            log.event("reload-note", "key", "server", "message", "server.* changes take effect at the next start:"
                      + " the supervisor keeps the listening socket it opened for its whole life");
        }
        if (!plan.apply()) {
            return;
        }
        if (plan.adminLater()) {
            log.event("reload-note", "key", "admin", "message", "admin.* changes take effect at the next start");
        }
        apply(plan.next());
        // spares carry the settings they were started with
        for (WorkerProcess spare : pool.workers.values().stream().filter(WorkerProcess::spare).toList()) {
            stop(spare, "reload", now);
        }
        pool.idleSpares.clear();
        List<Integer> existing = new ArrayList<>(pool.slots.keySet());
        resize(now);
        pool.rolling.clear();
        if (plan.replaceAll()) {
            existing.stream().filter(pool.slots::containsKey).forEach(pool.rolling::add);
        }
        log.event("reload", "origin", origin, "file", config.source(), "workers", count.workers(),
                  "basis", count.basis(), "replace", pool.rolling.size());
    }

    /**
     * Whether a reload is to blame for a worker's exit: it failed before READY, it was started
     * with the configuration in force, and that differs, in what workers see, from the last one
     * that produced a READY worker. Going back keeps a bad JVM option or a broken setting from
     * being retried forever while /health still says UP.
     */
    static boolean blamesReload(ExitCause cause, boolean wasReady, RevenantConfig startedWith, RevenantConfig running,
                                RevenantConfig lastGood) {
        return cause.failure() && !wasReady && lastGood != null && startedWith == running
                && !ReloadPlan.sameForWorkers(running, lastGood);
    }

    /** Rolls back to the last proven configuration when {@link #blamesReload} says the reload is to blame. */
    void rollBackIfUnproven(WorkerProcess failed, ExitCause cause, long now) {
        if (!blamesReload(cause, failed.wasReady(), failed.config, config, lastGood)) {
            return;
        }
        log.event("reload-rollback", "worker", failed.id, "cause", cause.detail(), "to", lastGood.source(),
                  "message", "a worker of the reloaded configuration failed before READY;"
                             + " back to the configuration that last produced READY workers");
        // the start limit keeps counting: the failures of the bad configuration still happened
        config = lastGood;
        count = resolveCount(config);
        pool.rolling.clear();
        // the others started with it go too; their slots start again at once, with the old settings
        for (Slot slot : pool.slots.values()) {
            if (unproven(slot.successor, failed)) {
                stop(slot.successor, "reload-rollback", now);
                slot.successor = null;
            }
            if (unproven(slot.current, failed)) {
                stop(slot.current, "reload-rollback", now);
                slot.current = null;
                slot.startAtMs = now;
            }
        }
        for (WorkerProcess spare : pool.workers.values().stream().filter(w -> w.spare() && w.config != lastGood).toList()) {
            stop(spare, "reload-rollback", now);
        }
        pool.idleSpares.removeIf(spare -> spare.config != lastGood);
        resize(now);
    }

    /** A worker of the configuration being rolled back that has not served yet, other than {@code failed}. */
    private boolean unproven(WorkerProcess candidate, WorkerProcess failed) {
        return candidate != null && candidate != failed && candidate.config != lastGood && !candidate.ready();
    }

    private void apply(RevenantConfig next) {
        config = next;
        count = resolveCount(next);
        startLimit = new StartLimit(next.supervisor().startLimitBurst(), next.supervisor().startLimitInterval().toMillis());
    }

    private WorkerCount resolveCount(RevenantConfig next) {
        return WorkerCount.resolve(cpus, hostCpus, next.supervisor());
    }

    private void stop(WorkerProcess worker, String reason, long now) {
        pool.stop(worker, reason, config.supervisor().timeoutStop(), now);
    }
}
