package io.revenant.bench;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.revenant.testing.KeepAliveLoad;
import io.revenant.testing.KillLoop;

/**
 * The chaos run: {@code connections} virtual threads sending GET / one after the other
 * on kept-alive connections for a bounded time, while {@code POST /chaos/kill} goes to the same
 * address every period. A request fails when it is not answered 200 by a worker; the kill calls
 * are not counted.
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
        KeepAliveLoad.Report report;
        long kills;
        try (KeepAliveLoad requests = new KeepAliveLoad(base.resolve("/"), connections, load, KeepAliveLoad.Unanswered.FAIL);
             KillLoop killer = new KillLoop(base, killPeriod, load)) {
            killer.join();
            kills = killer.kills();
            report = requests.stop();
        }
        return new Outcome(report.requests(), report.failures(), report.failuresByKind(), kills, report.elapsed());
    }
}
