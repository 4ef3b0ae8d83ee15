package io.revenant.config;

import java.util.List;
import java.util.OptionalLong;

/**
 * {@code worker.*}: how each worker JVM is started and when it is recycled.
 *
 * @param jvmOptions        extra options for the worker JVM, before the main class
 * @param maxRequests       recycle a worker after this many requests; 0 = never
 * @param maxRequestsJitter up to this many requests are added at random per worker, so workers
 *                          started together are not recycled together
 * @param maxMemoryMib      recycle a worker whose resident set exceeds this many MiB; 0 = never
 * @param heapMib           each worker's -Xmx in MiB; empty = auto (sized by the supervisor from the memory it has)
 */
public record WorkerConfig(List<String> jvmOptions, long maxRequests, long maxRequestsJitter, long maxMemoryMib,
                           OptionalLong heapMib) {

    public WorkerConfig {
        jvmOptions = List.copyOf(jvmOptions);
    }
}
