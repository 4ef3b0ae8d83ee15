package io.revenant.deploy;

import java.util.ArrayList;
import java.util.List;

import io.revenant.stack.ComposeFile;
import io.revenant.stack.StackSettings;

/**
 * One app container of slot {@code slot} (1 … supervisor.containers). It joins the network
 * namespace of the slot's holder ({@code <project>-app<i>-net}, which {@code make up} starts from
 * the compose file and which publishes the slot's ports and has the address nginx's upstream
 * names), so the supervisors of two containers of one slot share the listening socket's namespace
 * and hand the socket over (abstract socket {@code @revenant-handover-<port>}). Two names per slot:
 * <ul>
 *   <li>{@code <project>-app<i>}: the container that serves the slot;</li>
 *   <li>{@code <project>-app<i>-next}: a deploy's new container until the old one has handed over,
 *       exited and been removed; then it is renamed to the first.</li>
 * </ul>
 *
 * @param slot   1-based slot
 * @param name   container name
 * @param holder the holder container whose network namespace it joins
 */
record AppContainer(int slot, String name, String holder) {

    static final String NEXT_SUFFIX = "-next";

    /** The container serving the slot, as {@code make up} names it. */
    static AppContainer own(StackSettings stack, int slot) {
        return new AppContainer(slot, stack.containerName(slot), stack.holderName(slot));
    }

    /** A deploy's new container for the slot, until the hand-over is done. */
    static AppContainer next(StackSettings stack, int slot) {
        return new AppContainer(slot, stack.containerName(slot) + NEXT_SUFFIX, stack.holderName(slot));
    }

    /**
     * Arguments of {@code engine run} that start this container from {@code image} in its
     * holder's network namespace, with the project's labels (so {@code make down} removes it).
     * Restart policy {@code on-failure}, not {@code always}: a supervisor that handed its socket
     * over exits 0 and must stay down (restarted, it would take the socket back from its
     * successor), while a crashed or killed one (exit ≠ 0) is restarted.
     */
    List<String> runArguments(StackSettings stack, String image) {
        List<String> args = new ArrayList<>(List.of("run", "--detach", "--name", name,
                "--label", "com.docker.compose.project=" + stack.project(),
                "--label", "io.podman.compose.project=" + stack.project(),
                "--label", "io.revenant.slot=" + slot,
                "--network", "container:" + holder,
                "--restart", "on-failure",
                "--stop-signal", "SIGTERM",
                "--stop-timeout", Long.toString(stack.stopGracePeriod().toSeconds()),
                "--volume", stack.configDir() + ":" + StackSettings.CONFIG_MOUNT + ":ro"));
        if (stack.adminEnabled()) {
            // the holder publishes the admin port on the host's loopback; it arrives on the
            // namespace's interfaces, not on its loopback (docs/containers.md)
            args.addAll(List.of("--env", ComposeFile.ADMIN_HOST_VARIABLE + "=0.0.0.0"));
        }
        if (stack.healthcheck() && stack.adminEnabled()) {
            List<String> test = ComposeFile.healthcheckCommand(stack.adminPort());
            args.addAll(List.of("--health-cmd", shellWords(test.subList(1, test.size())),
                                "--health-interval", "10s", "--health-timeout", "3s",
                                "--health-start-period", "30s", "--health-retries", "3"));
        } else {
            args.add("--no-healthcheck");
        }
        args.add(image);
        return args;
    }

    /** The words as one POSIX shell command line ({@code --health-cmd} takes a string). */
    static String shellWords(List<String> words) {
        List<String> quoted = new ArrayList<>(words.size());
        for (String word : words) {
            quoted.add("'" + word.replace("'", "'\\''") + "'");
        }
        return String.join(" ", quoted);
    }
}
