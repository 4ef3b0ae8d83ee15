package io.revenant.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Optional;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

/**
 * {@code revenant upgrade} / SIGUSR2, as in unicorn and gunicorn: starts a successor supervisor
 * with this process's own command line (the java binary, its options and the jar path: a jar
 * installed there since is what the successor runs), which takes the listening socket over by a
 * {@link Handover}. This supervisor keeps serving until the successor's workers are all READY,
 * and keeps serving, untouched, if the successor fails.
 *
 * <p>The successor is a new process, not this one re-executed in place: an exec would end the
 * JVM that watches the old workers before the new one has proven itself, with no way back if the
 * new jar fails, and the workers' parent-death signal would kill them. So the pid changes. As
 * PID 1 of a container that would end the container (the kernel kills a namespace whose init
 * exits), so there the upgrade is refused: a container is upgraded by starting the new version
 * beside it in the same network namespace ({@code make deploy}), which is the same hand-over.
 */
final class Upgrade {

    private final EventLog log;
    private final BooleanSupplier handedOver;
    private volatile Process successor;

    /** @param handedOver whether a successor has taken over (then its exit is not ours to report) */
    Upgrade(EventLog log, BooleanSupplier handedOver) {
        this.log = log;
        this.handedOver = handedOver;
    }

    /** The successor's pid while it runs: the JDK reaps it, the orphan reaper must leave it alone. */
    OptionalLong successorPid() {
        Process running = successor;
        return running != null && running.isAlive() ? OptionalLong.of(running.pid()) : OptionalLong.empty();
    }

    void start(boolean stopping) {
        long pid = ProcessHandle.current().pid();
        if (stopping) {
            log.event("upgrade-refused", "reason", "the supervisor is stopping");
            return;
        }
        if (pid == 1) {
            log.event("upgrade-refused", "reason", "PID 1", "message", "the container ends when its PID 1 exits;"
                      + " start the new version in the same network namespace instead (make deploy)");
            return;
        }
        if (successorPid().isPresent()) {
            log.event("upgrade-refused", "reason", "an upgrade is under way", "successor", successor.pid());
            return;
        }
        List<String> command = commandLine();
        if (command.isEmpty()) {
            log.event("upgrade-refused", "reason", "cannot read this process's command line");
            return;
        }
        try {
            // the same stdout and stderr: the successor's lines follow ours in the same log
            Process started = new ProcessBuilder(command).inheritIO().start();
            successor = started;
            log.event("upgrade-start", "successor", started.pid(), "command", String.join(" ", command));
            started.onExit().thenAccept(this::exited);
        } catch (IOException e) {
            log.event("upgrade-failed", "error", e.getMessage(), "message", "this supervisor keeps serving");
        }
    }

    private void exited(Process process) {
        if (!handedOver.getAsBoolean()) {
            log.event("upgrade-failed", "successor", process.pid(), "code", process.exitValue(),
                      "message", "the successor exited before it took over; this supervisor keeps serving (its reason is in the lines above)");
        }
    }

    /**
     * The java binary and this process's arguments, from /proc/self/cmdline: the JDK's
     * {@code ProcessHandle.Info.arguments()} gives up on a long command line (a classpath).
     */
    private static List<String> commandLine() {
        Optional<String> java = ProcessHandle.current().info().command();
        try {
            String[] argv = new String(Files.readAllBytes(Path.of("/proc/self/cmdline")), StandardCharsets.UTF_8)
                    .split("\0");
            if (java.isEmpty() || argv.length < 2) {
                return List.of();
            }
            List<String> command = new ArrayList<>();
            command.add(java.get());
            command.addAll(Arrays.asList(argv).subList(1, argv.length));
            return command;
        } catch (IOException e) {
            return List.of();
        }
    }
}
