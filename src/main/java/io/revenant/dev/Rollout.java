package io.revenant.dev;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Follows one start or one reload of the supervisor through its event lines and says when every
 * worker of it is serving, or why not. Pure: fed the parsed lines in order, so a table of line
 * sequences tests it.
 *
 * <p>A reload (SIGHUP) replaces every worker start-new-then-stop-old, one slot at a time; the
 * {@code reload} line says how many ({@code replace=N}). A replacement is done when the worker
 * spawned for it ({@code worker-spawn reason=replace}) is READY: from then on the slot's
 * connections go to the new code while the old worker drains.
 */
final class Rollout {

    /** Where the rollout stands after a line. */
    sealed interface Outcome {

        record Pending() implements Outcome {
        }

        /** Every worker of the start or reload is READY. */
        record Done(int workers) implements Outcome {
        }

        /** It stopped short: {@code workers} of them became READY, and why the rest did not. */
        record Failed(int workers, int expected, String reason) implements Outcome {
        }
    }

    private static final Outcome PENDING = new Outcome.Pending();

    private final boolean reload;
    /** Workers to wait for; unknown (negative) until the start or reload line. */
    private int expected = -1;
    private final Set<String> successors = new HashSet<>();
    private final Set<String> ready = new HashSet<>();

    private Rollout(boolean reload) {
        this.reload = reload;
    }

    /** A supervisor being started: done when as many workers are READY as its start line says. */
    static Rollout start() {
        return new Rollout(false);
    }

    /** A SIGHUP just sent: done when every worker it replaces has a READY successor. */
    static Rollout reload() {
        return new Rollout(true);
    }

    Outcome observe(Map<String, String> event) {
        String worker = event.getOrDefault("worker", "");
        switch (event.getOrDefault("event", "")) {
            case "supervisor-start" -> {
                if (!reload) {
                    expected = number(event.get("workers"));
                }
            }
            case "reload" -> {
                if (reload && expected < 0) {
                    expected = number(event.get("replace"));
                }
            }
            case "reload-rejected" -> {
                if (reload && expected < 0) {
                    return new Outcome.Failed(0, 0, "the config file is invalid (reload-rejected above)");
                }
            }
            case "worker-spawn" -> {
                if ("replace".equals(event.get("reason"))) {
                    successors.add(worker);
                }
            }
            case "worker-ready" -> {
                // a start counts every worker; a reload only those started to replace one
                if (!reload || successors.contains(worker)) {
                    ready.add(worker);
                }
            }
            case "replace-failed" -> {
                if (reload) {
                    return new Outcome.Failed(ready.size(), expected, "a new worker exited before READY (see above)");
                }
            }
            case "supervisor-exit", "start-limit-hit" -> {
                return new Outcome.Failed(ready.size(), Math.max(0, expected),
                                          "the supervisor stopped (code " + event.getOrDefault("code", "?") + ")");
            }
            default -> {
            }
        }
        return expected >= 0 && ready.size() >= expected ? new Outcome.Done(expected) : PENDING;
    }

    private static int number(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
