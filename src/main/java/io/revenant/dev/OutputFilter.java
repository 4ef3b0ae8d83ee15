package io.revenant.dev;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which of the supervisor's lines the dev loop leaves out, so that a save prints one line
 * ({@code rebuilt in 1.4 s, replaced 2 workers in 5.2 s}) and not a dozen: the routine steps of
 * starting and replacing workers, which that line sums up. Crashes, warnings, rejected reloads,
 * everything a worker prints and every other event still show; {@code --verbose} shows all.
 */
final class OutputFilter {

    /** Events that are the normal course of a start or a rolling replacement. */
    private static final Set<String> ROUTINE = Set.of("worker-spawn", "worker-ready", "worker-stop", "spare-spawn",
                                                      "spare-ready", "spare-bind");

    private OutputFilter() {
    }

    /** @param fields the line's event fields, empty when it is not an event line */
    static boolean hidden(String line, Optional<Map<String, String>> fields) {
        if (fields.isEmpty()) {
            return aotNotice(line);
        }
        Map<String, String> event = fields.get();
        String name = event.getOrDefault("event", "");
        return ROUTINE.contains(name)
               || (name.equals("signal") && "HUP".equals(event.get("name")))
               || (name.equals("reload") && "signal".equals(event.get("origin")))
               || ((name.equals("worker-exit") || name.equals("spare-exit")) && "requested".equals(event.get("cause")));
    }

    /**
     * A worker JVM's complaint that its AOT cache ({@code -XX:AOTCache} in worker.jvm-options)
     * does not fit: a cache fits one jar, and the dev loop builds a new jar each time. The JVM
     * then starts without it, as it should; the dev loop says so once instead.
     */
    static boolean aotNotice(String line) {
        return line.startsWith("[worker ") && line.contains("][aot]");
    }
}
