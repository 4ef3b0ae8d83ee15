package io.revenant.supervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import sun.misc.SignalHandler;

import io.revenant.net.Signal;
import io.revenant.net.SignalDispositions;

/**
 * Turns TERM, INT, HUP and USR2 (upgrade) into {@link Event.SignalReceived}. The handlers only enqueue
 * ("no logging, just queue the signal"); the loop decides.
 *
 * <p>QUIT stays with the JVM, whose handler prints the supervisor's thread dump: HotSpot lets a
 * program take either QUIT (with -Xrs) or TERM/INT/HUP (without it), never all four, and a
 * supervisor that could not stop gracefully is worse than one whose QUIT only dumps threads.
 *
 * <p>A signal the parent left ignored stays ignored across exec, and HotSpot then installs no
 * handler for it, silently. HUP is restored: under {@code nohup} the point is not to die of a
 * hang-up, and a handled HUP reloads rather than kills (workers ignore HUP themselves). TERM and
 * INT are left ignored, because a shell ignores INT for a background job on purpose (^C is not
 * meant for it); the caller logs them.
 */
final class SignalEvents {

    /**
     * @param refused   signals the JVM keeps (all of them when it runs with -Xrs)
     * @param restored  signals inherited as ignored and now handled (HUP)
     * @param ignored   signals inherited as ignored and left so (TERM, INT)
     */
    record Installed(List<String> refused, List<String> restored, List<String> ignored) {
    }

    private SignalEvents() {
    }

    static Installed install(Consumer<Event> events) {
        List<String> refused = new ArrayList<>();
        List<String> restored = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String name : List.of("TERM", "INT", "HUP", "USR2")) {
            sun.misc.Signal signal = new sun.misc.Signal(name);
            SignalHandler handler = s -> events.accept(new Event.SignalReceived(name));
            try {
                if (sun.misc.Signal.handle(signal, handler) != SignalHandler.SIG_IGN) {
                    continue;
                }
                if (name.equals("HUP")) {
                    SignalDispositions.restoreDefault(Signal.HUP);
                    sun.misc.Signal.handle(signal, handler);
                    restored.add(name);
                } else {
                    ignored.add(name);
                }
            } catch (IllegalArgumentException e) {
                refused.add(name);
            }
        }
        return new Installed(List.copyOf(refused), List.copyOf(restored), List.copyOf(ignored));
    }
}
