package io.revenant.config;

import java.util.Optional;

/**
 * {@code chaos.*}: the demo endpoint that kills the worker answering it.
 *
 * @param killEndpoint whether {@code POST /chaos/kill} exists at all (off when absent)
 * @param token        when present, the request must carry {@code Authorization: Bearer <token>}
 */
public record ChaosConfig(boolean killEndpoint, Optional<String> token) {
}
