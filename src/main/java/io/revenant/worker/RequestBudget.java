package io.revenant.worker;

import java.util.concurrent.atomic.AtomicLong;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Counts requests on the public listener (served and in flight, shown on the admin listener's
 * {@code /stats}) and calls {@code onExhausted} once when {@code worker.max-requests} (plus
 * jitter, already added by the supervisor) is reached.
 */
final class RequestBudget implements Filter {

    private final AtomicLong served = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final long limit;
    private final Runnable onExhausted;

    RequestBudget(long limit, Runnable onExhausted) {
        this.limit = limit;
        this.onExhausted = onExhausted;
    }

    long served() {
        return served.get();
    }

    long inFlight() {
        return inFlight.get();
    }

    /** Forgets what was counted so far: a hot spare's warm-up requests are not real traffic. */
    void reset() {
        served.set(0);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long count = served.incrementAndGet();
        inFlight.incrementAndGet();
        try {
            chain.proceed();
        } finally {
            inFlight.decrementAndGet();
        }
        if (limit > 0 && count == limit) {
            onExhausted.run();
        }
    }
}
