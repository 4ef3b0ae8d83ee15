package io.revenant.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chaos run: {@code connections} virtual threads sending GET / one after the other
 * for a bounded time while {@code POST /chaos/kill} goes to the same address every period. A
 * request fails when it is not answered 200; the kill calls are not counted.
 */
final class ChaosLoad {

    /** Totals of a run. */
    record Outcome(long requests, long failures, Map<String, Long> failureKinds, long kills, Duration elapsed) {

        String cell() {
            return String.format("%,d requests, **%,d failed** (%.3f %%), %d workers killed in %d s%s", requests, failures,
                                 requests == 0 ? 0 : 100.0 * failures / requests, kills, elapsed.toSeconds(),
                                 failureKinds.isEmpty() ? "" : " " + failureKinds);
        }
    }

    private ChaosLoad() {
    }

    static Outcome run(URI base, int connections, Duration load, Duration killPeriod) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        AtomicLong requests = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicLong kills = new AtomicLong();
        Map<String, Long> kinds = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long deadline = start + load.toNanos();
        HttpRequest get = HttpRequest.newBuilder(base.resolve("/")).timeout(Duration.ofSeconds(30)).GET().build();
        HttpRequest kill = HttpRequest.newBuilder(base.resolve("/chaos/kill")).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < deadline) {
                    String failure = null;
                    try {
                        int status = client.send(get, HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status != 200) {
                            failure = "status-" + status;
                        }
                    } catch (IOException e) {
                        failure = e.getClass().getSimpleName();
                    } catch (InterruptedException e) {
                        return;
                    }
                    requests.incrementAndGet();
                    if (failure != null) {
                        failures.incrementAndGet();
                        kinds.merge(failure, 1L, Long::sum);
                    }
                }
            }));
        }
        threads.add(Thread.ofPlatform().name("kill-loop").start(() -> {
            long next = System.nanoTime();
            while (System.nanoTime() < deadline) {
                try {
                    if (client.send(kill, HttpResponse.BodyHandlers.discarding()).statusCode() == 202) {
                        kills.incrementAndGet();
                    }
                } catch (IOException e) {
                    // a missed kill; the next one comes at the next period
                } catch (InterruptedException e) {
                    return;
                }
                next += killPeriod.toNanos();
                long pause = next - System.nanoTime();
                if (pause > 0) {
                    try {
                        Thread.sleep(Duration.ofNanos(pause));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }));
        for (Thread thread : threads) {
            thread.join(load.plusSeconds(40));
        }
        return new Outcome(requests.get(), failures.get(), new TreeMap<>(kinds), kills.get(),
                           Duration.ofNanos(System.nanoTime() - start));
    }
}
