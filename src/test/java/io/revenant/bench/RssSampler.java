package io.revenant.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.revenant.supervisor.ProcStatus;

/** Samples VmRSS of some processes every 200 ms on its own thread and keeps each one's peak. */
final class RssSampler implements AutoCloseable {

    private final Map<Long, Long> peakKib = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    RssSampler(List<Long> pids) {
        thread = Thread.ofPlatform().daemon().name("rss-sampler").start(() -> {
            while (running) {
                for (long pid : pids) {
                    peakKib.merge(pid, ProcStatus.rssKib(pid), Math::max);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Peak VmRSS of each sampled process, KiB. */
    Map<Long, Long> peaks() {
        return Map.copyOf(peakKib);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
    }
}
