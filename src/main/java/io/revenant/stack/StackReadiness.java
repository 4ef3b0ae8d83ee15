package io.revenant.stack;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.revenant.protocol.OneShotHttp;

/**
 * The wait of {@code make up}: the stack is ready when every app container answers on its
 * published port and nginx has answered from every one of them (from one of them when nginx pins
 * clients, with ip_hash). Compose tools do not wait for health (podman-compose ignores health
 * checks and always exits 0), so this is the check that {@code make up} really worked.
 */
public final class StackReadiness {

    /** Pause between two polling rounds. */
    private static final Duration PAUSE = Duration.ofMillis(250);
    /** Requests through nginx per round: enough for least_conn/round robin to reach every container. */
    private static final int NGINX_REQUESTS_PER_CONTAINER = 10;

    private final StackEnv stack;

    public StackReadiness(StackEnv stack) {
        this.stack = stack;
    }

    /** Outcome: ready or not, and a sentence that says why. */
    public record Result(boolean ready, String message) {
    }

    public Result await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Integer, String> problems = new LinkedHashMap<>();
        while (true) {
            problems.clear();
            Map<String, Integer> instances = new LinkedHashMap<>();
            for (int i = 1; i <= stack.containers(); i++) {
                int container = i;
                ask(stack.app(i)).ifPresentOrElse(
                        reply -> instances.put(reply.instance(), container),
                        () -> problems.put(container, stack.appContainers().get(container - 1)
                                + " does not answer on " + stack.app(container)));
            }
            if (problems.isEmpty()) {
                Set<Integer> seen = new HashSet<>();
                int rounds = NGINX_REQUESTS_PER_CONTAINER * stack.containers();
                for (int n = 0; n < rounds && seen.size() < stack.containers(); n++) {
                    Optional<WorkerReply> reply = ask(stack.nginx());
                    if (reply.isEmpty()) {
                        break;
                    }
                    Integer container = instances.get(reply.get().instance());
                    if (container != null) {
                        seen.add(container);
                    }
                    if (stack.sticky() && container != null) {
                        return new Result(true, "ready: " + stack.nginx() + " answers (sticky balancing: one client"
                                + " sees one container) and all " + stack.containers()
                                + " app container(s) answer on their published ports");
                    }
                }
                if (seen.size() == stack.containers()) {
                    return new Result(true, "ready: " + stack.nginx() + " answers through all " + stack.containers()
                            + " app container(s)");
                }
                for (int i = 1; i <= stack.containers(); i++) {
                    if (!seen.contains(i)) {
                        problems.put(i, "nginx " + stack.nginx() + " has not answered from "
                                + stack.appContainers().get(i - 1));
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                return new Result(false, "not ready after " + timeout.toSeconds() + "s: "
                        + String.join("; ", problems.values()));
            }
            try {
                Thread.sleep(PAUSE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(false, "interrupted");
            }
        }
    }

    /** {@code GET /} as JSON; empty unless a worker answered 200 with its identity. */
    private Optional<WorkerReply> ask(URI uri) {
        try {
            OneShotHttp.Response response = OneShotHttp.get(uri, Map.of("Accept", "application/json"), Duration.ofSeconds(5));
            return response.status() == 200 ? WorkerReply.parse(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
