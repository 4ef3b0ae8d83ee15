package io.revenant.config;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * {@code supervisor.*}: how many workers run and how they are restarted, in systemd's terms.
 *
 * @param containers        how many containers share this host (divides the CPUs in {@code auto})
 * @param workers           an explicit worker count, or empty for {@code auto}
 * @param reserveCpus       CPUs kept for the rest of the host: {@code auto} divides what is left
 * @param restart           restart policy
 * @param restartSec        first restart delay
 * @param restartSteps      number of steps from {@code restartSec} to {@code restartMaxDelay}; 0 = no growth
 * @param restartMaxDelay   cap of the restart delay
 * @param restartResetAfter a worker that ran this long resets its slot's delay to {@code restartSec}
 * @param startLimitBurst   more starts than this within {@code startLimitInterval} stop the supervisor
 * @param startLimitInterval window of the start limit
 * @param timeoutStart      a worker not READY by then is killed and counted as a failed start
 * @param timeoutStop       graceful stop time before SIGKILL
 * @param watchdog          health probe interval; a worker that misses a probe is dumped and replaced; zero = off
 * @param minReady          {@code /health} is 200 when at least this many workers are ready
 * @param spare             workers started and warmed in advance, bound only when one dies
 */
public record SupervisorConfig(int containers,
                               OptionalInt workers,
                               int reserveCpus,
                               RestartSetting restart,
                               Duration restartSec,
                               int restartSteps,
                               Duration restartMaxDelay,
                               Duration restartResetAfter,
                               int startLimitBurst,
                               Duration startLimitInterval,
                               Duration timeoutStart,
                               Duration timeoutStop,
                               Duration watchdog,
                               int minReady,
                               int spare) {
}
