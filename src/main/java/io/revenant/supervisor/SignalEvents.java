package io.revenant.supervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns TERM, INT and HUP into {@link Event.SignalReceived}. The handlers only enqueue
 * ("no logging, just queue the signal"); the loop decides.
 *
 * <p>QUIT stays with the JVM, whose handler prints the supervisor's thread dump: HotSpot lets a
 * program take either QUIT (with -Xrs) or TERM/INT/HUP (without it), never all four, and a
 * supervisor that could not stop gracefully is worse than one whose QUIT only dumps threads.
 */
final class SignalEvents {

    private SignalEvents() {
    }

    /** @return the signals that could not be handled (all of them when the JVM runs with -Xrs) */
    static List<String> install(Consumer<Event> events) {
        List<String> refused = new ArrayList<>();
        for (String name : List.of("TERM", "INT", "HUP")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> events.accept(new Event.SignalReceived(name)));
            } catch (IllegalArgumentException e) {
                refused.add(name);
            }
        }
        return refused;
    }
}
