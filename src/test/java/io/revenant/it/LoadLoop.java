package io.revenant.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent GET / requests, each on a fresh connection, until {@link #close()}; counts every
 * answer and every failure.
 *
 * <p>Like a browser or nginx, the client sends a GET again when its connection broke before a
 * single response byte came back (RFC 9110, 9.2.2: idempotent requests may be retried), up to
 * {@value #RETRIES} times. A worker that is being stopped can close a connection it has accepted
 * but not yet read (Helidon's graceful stop closes idle connections), no server can answer on a
 * connection it has closed, and an immediate retry can meet the same closing listener. Such
 * retries are counted and reported; a request that fails every time, gets a non-200 answer, or
 * breaks mid-response is a failure.
 */
final class LoadLoop implements AutoCloseable {

    static final int RETRIES = 2;

    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final List<String> failures = new ArrayList<>();
    private final Set<String> instances = ConcurrentHashMap.newKeySet();
    private final Set<String> pids = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    LoadLoop(int port, int concurrency) {
        for (int i = 0; i < concurrency; i++) {
            threads.add(Thread.ofPlatform().name("load-" + i).start(() -> {
                while (running) {
                    try {
                        Http.Response response = null;
                        for (int attempt = 0; response == null; attempt++) {
                            try {
                                response = Http.get(port, "/");
                            } catch (Http.NoResponseException e) {
                                if (attempt == RETRIES) {
                                    throw e;
                                }
                                retried.incrementAndGet();
                            }
                        }
                        if (response.status() == 200) {
                            ok.incrementAndGet();
                            instances.add(response.field("instance"));
                            pids.add(response.field("pid"));
                        } else {
                            fail("status " + response.status());
                        }
                    } catch (IOException | RuntimeException e) {
                        fail(java.time.Instant.now() + " " + e);
                    }
                }
            }));
        }
    }

    private void fail(String why) {
        failed.incrementAndGet();
        synchronized (failures) {
            if (failures.size() < 20) {
                failures.add(why);
            }
        }
    }

    long ok() {
        return ok.get();
    }

    long failed() {
        return failed.get();
    }

    long retried() {
        return retried.get();
    }

    String summary() {
        return "requests=" + (ok() + failed()) + " ok=" + ok() + " failed=" + failed() + " retried=" + retried()
               + " failures=" + failures();
    }

    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    Set<String> instances() {
        return Set.copyOf(instances);
    }

    Set<String> pids() {
        return Set.copyOf(pids);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
