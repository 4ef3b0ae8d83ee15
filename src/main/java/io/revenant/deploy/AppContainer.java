package io.revenant.deploy;

import java.util.ArrayList;
import java.util.List;

import io.revenant.stack.ComposeFile;
import io.revenant.stack.StackSettings;

/**
 * One app container of slot {@code slot} (1 … supervisor.containers), as a rollout starts it.
 * Two kinds per slot:
 * <ul>
 *   <li>the slot's own container: {@code <project>-app<i>}, DNS name {@code app<i>}, published on
 *       {@code 127.0.0.1:(publish base + i)}: exactly what {@code make up} starts;</li>
 *   <li>its stand-in: {@code <project>-app<i>-standin}, DNS name {@code app<i>-standin}, nothing
 *       published. It carries the slot's share of the traffic while the old container drains
 *       and frees the slot's host port, which two containers cannot hold at once.</li>
 * </ul>
 *
 * @param slot      1-based slot
 * @param name      container name
 * @param alias     DNS name on the stack's network, what nginx's upstream names
 * @param publishes whether the slot's host port is published
 */
record AppContainer(int slot, String name, String alias, boolean publishes) {

    static final String STAND_IN_SUFFIX = "-standin";

    /** The slot's own container, as {@code make up} names it. */
    static AppContainer own(StackSettings stack, int slot) {
        return new AppContainer(slot, stack.containerName(slot), stack.service(slot), true);
    }

    static AppContainer standIn(StackSettings stack, int slot) {
        return new AppContainer(slot, stack.containerName(slot) + STAND_IN_SUFFIX,
                                stack.service(slot) + STAND_IN_SUFFIX, false);
    }

    /**
     * The containers a rollout starts for one slot, in order: when the slot's own container holds
     * the host port, a stand-in first, then the slot's own container again from the new image;
     * when a stand-in serves the slot (a rollout that stopped between the two), the port is free
     * and the slot's own container comes straight back.
     */
    static List<AppContainer> hops(StackSettings stack, int slot, AppContainer current) {
        return current.publishes() ? List.of(standIn(stack, slot), own(stack, slot)) : List.of(own(stack, slot));
    }

    /**
     * Arguments of {@code engine run} that start this container from {@code image} on
     * {@code network}, with the same settings as the compose file's service (restart policy,
     * graceful stop, config mount, health check) and the project's labels, so
     * {@code make down} removes it like the others.
     */
    List<String> runArguments(StackSettings stack, String network, String image) {
        List<String> args = new ArrayList<>(List.of("run", "--detach", "--name", name,
                "--label", "com.docker.compose.project=" + stack.project(),
                "--label", "io.podman.compose.project=" + stack.project(),
                "--label", "com.docker.compose.service=" + alias,
                "--label", "io.revenant.slot=" + slot,
                "--network", network, "--network-alias", alias, "--hostname", alias,
                "--restart", "always",
                "--stop-signal", "SIGTERM",
                "--stop-timeout", Long.toString(stack.stopGracePeriod().toSeconds()),
                "--volume", stack.configDir() + ":" + StackSettings.CONFIG_MOUNT + ":ro"));
        if (publishes) {
            args.addAll(List.of("--publish", stack.publishHost() + ":" + stack.publishedPort(slot) + ":" + stack.appPort()));
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
