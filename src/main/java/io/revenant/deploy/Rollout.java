package io.revenant.deploy;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.revenant.protocol.OneShotHttp;
import io.revenant.stack.StackSettings;
import io.revenant.stack.WorkerReply;

/**
 * Rolls an image onto the running stack one slot at a time, never with fewer serving containers
 * than {@code supervisor.containers}. One <em>hop</em> replaces the container that serves a slot
 * by a new one:
 * <ol>
 *   <li>start the new container on the stack's network;</li>
 *   <li>wait until its supervisor reports every worker READY ({@code /status} inside it);</li>
 *   <li>add it to nginx's upstream and reload; check that nginx answers from it;</li>
 *   <li>take the old container out of the upstream and reload; the reload returns once nginx's
 *       old workers have finished what they had in flight;</li>
 *   <li>stop the old container (SIGTERM, its workers drain within {@code timeout-stop-sec}) and
 *       remove it.</li>
 * </ol>
 * A slot whose own container holds its host port takes two hops (stand-in, then its own
 * container again, see {@link AppContainer#hops}). A hop that fails before step 4 leaves the old
 * containers and nginx as they were; the new container is removed after its last log lines were
 * taken for the message.
 */
final class Rollout {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(250);
    /** Log lines of a failed new container quoted in the message. */
    static final int LOG_LINES = 30;
    /** Requests through nginx to see the new container answer (least_conn reaches it in a few). */
    private static final int NGINX_PROBES = 40;

    private final Engine engine;
    private final StackSettings stack;
    private final NginxUpstream nginx;
    private final String network;
    private final Duration readyTimeout;
    private final boolean sticky;
    private final DeployLog log;

    /** nginx's upstream as it is now: the container that serves each slot, in slot order. */
    private final List<NginxUpstream.Server> upstream = new ArrayList<>();

    /**
     * @param readyTimeout how long a new container may take to have all its workers READY
     * @param sticky       nginx pins clients (ip_hash), so the check through nginx is skipped
     */
    private Rollout(Engine engine, StackSettings stack, NginxUpstream nginx, String network,
                    Duration readyTimeout, boolean sticky, DeployLog log) {
        this.engine = engine;
        this.stack = stack;
        this.nginx = nginx;
        this.network = network;
        this.readyTimeout = readyTimeout;
        this.sticky = sticky;
        this.log = log;
    }

    /**
     * A rollout of the stack whose slots are served by {@code serving} now (index 0 = slot 1), on
     * {@code network}.
     */
    static Rollout of(Engine engine, StackSettings stack, NginxUpstream nginx, String network, List<AppContainer> serving,
                      Duration readyTimeout, boolean sticky, DeployLog log) throws DeployException, InterruptedException {
        Rollout rollout = new Rollout(engine, stack, nginx, network, readyTimeout, sticky, log);
        for (AppContainer container : serving) {
            rollout.upstream.add(new NginxUpstream.Server(container.name(), rollout.address(container)));
        }
        return rollout;
    }

    /**
     * Replaces the container of one slot by {@code next}, started from {@code image}.
     *
     * @return the new container's status when it became ready
     */
    SupervisorStatus hop(AppContainer current, AppContainer next, String image) throws DeployException, InterruptedException {
        long started = System.nanoTime();
        log.event("container-start", "slot", current.slot(), "name", next.name(), "image", image, "replaces", current.name());
        Engine.Result run = engine.run(RUN_TIMEOUT, next.runArguments(stack, network, image));
        if (!run.ok()) {
            String logs = lastLogs(next);
            remove(next);
            throw new DeployException(DeployMain.FAILED, next.name() + " did not start: " + run.failure()
                    + unchanged() + logs);
        }
        SupervisorStatus status = awaitReady(next, image);
        log.event("container-ready", "slot", next.slot(), "name", next.name(), "instance", status.instance(),
                  "version", status.version(), "workers", status.workers(), "ms", (System.nanoTime() - started) / 1_000_000);

        NginxUpstream.Server removed = upstream.stream().filter(server -> server.container().equals(current.name()))
                .findFirst().orElseThrow(() -> new IllegalStateException(current.name() + " is not in " + upstream));
        String before = nginx.current();
        List<NginxUpstream.Server> both = new ArrayList<>(upstream);
        try {
            both.add(upstream.indexOf(removed) + 1, new NginxUpstream.Server(next.name(), address(next)));
            nginx.apply(both);
        } catch (DeployException e) {
            remove(next);
            throw new DeployException(e.code(), e.getMessage() + unchanged());
        }
        List<NginxUpstream.Server> after = new ArrayList<>(both);
        after.remove(removed);
        try {
            awaitAnswerThroughNginx(status.instance(), next);
            nginx.apply(after);
        } catch (DeployException e) {
            nginx.restore(before);
            remove(next);
            throw new DeployException(e.code(), e.getMessage() + unchanged());
        }
        upstream.clear();
        upstream.addAll(after);

        long draining = System.nanoTime();
        long graceSeconds = stack.stopGracePeriod().toSeconds();
        Engine.Result stop = engine.run(stack.stopGracePeriod().plusSeconds(30), "stop", "-t", Long.toString(graceSeconds),
                                        current.name());
        engine.run(RUN_TIMEOUT, "rm", "-f", current.name());
        log.event("container-retired", "slot", current.slot(), "name", current.name(),
                  "stop", stop.ok() ? "graceful" : stop.failure(), "drain-ms", (System.nanoTime() - draining) / 1_000_000,
                  "hop-ms", (System.nanoTime() - started) / 1_000_000);
        return status;
    }

    /**
     * Polls the new container until its supervisor reports every worker READY. Fails at once when
     * the container stopped or was restarted by its restart policy (its supervisor exited: a bad
     * config exits 78, workers that cannot boot end in 69 or 75), otherwise at the deadline.
     */
    private SupervisorStatus awaitReady(AppContainer next, String image) throws DeployException, InterruptedException {
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        String seen = "no answer from its admin listener yet";
        while (true) {
            Engine.Result state = engine.run(EXEC_TIMEOUT, "inspect", "--format",
                    "{{.State.Running}} {{.RestartCount}} {{.State.ExitCode}}", next.name());
            String[] fields = state.out().strip().split(" ");
            if (state.ok() && fields.length == 3 && (!fields[0].equals("true") || !fields[1].equals("0"))) {
                fail(next, image, fields[1].equals("0") ? "its supervisor exited with code " + fields[2]
                        : "its supervisor exited and was restarted " + fields[1] + " time(s) by the restart policy"
                          + (fields[2].equals("0") ? "" : " (last exit code " + fields[2] + ")"));
            }
            Engine.Result answer = engine.run(EXEC_TIMEOUT, SupervisorStatus.command(next.name(), stack.adminPort()));
            Optional<SupervisorStatus> status = answer.ok() ? SupervisorStatus.parse(answer.out()) : Optional.empty();
            if (status.filter(SupervisorStatus::allReady).isPresent()) {
                return status.get();
            }
            if (status.isPresent()) {
                seen = status.get().ready() + " of " + status.get().workers() + " worker(s) READY"
                       + (status.get().stopping() ? ", stopping" : "");
            }
            if (System.nanoTime() > deadline) {
                fail(next, image, "not every worker was READY within " + readyTimeout.toSeconds() + "s (" + seen + ")");
            }
            Thread.sleep(POLL);
        }
    }

    private void fail(AppContainer next, String image, String reason) throws DeployException, InterruptedException {
        String logs = lastLogs(next);
        remove(next);
        throw new DeployException(DeployMain.FAILED, next.name() + " (image " + image + ") did not become ready: "
                + reason + "; it was removed" + unchanged() + logs);
    }

    /**
     * Sends {@code GET /} through nginx until the new container's instance answers: nginx resolved
     * its name and reaches it. Skipped with sticky balancing, where this client sees one container.
     */
    private void awaitAnswerThroughNginx(String instance, AppContainer next) throws DeployException, InterruptedException {
        if (sticky) {
            return;
        }
        URI uri = URI.create("http://" + stack.publishHost() + ":" + stack.nginxPort() + "/");
        for (int i = 0; i < NGINX_PROBES; i++) {
            try {
                OneShotHttp.Response response = OneShotHttp.get(uri, Map.of("Accept", "application/json"),
                                                                Duration.ofSeconds(5));
                if (response.status() == 200
                        && WorkerReply.parse(response.body()).filter(reply -> reply.instance().equals(instance)).isPresent()) {
                    return;
                }
            } catch (IOException e) {
                // counted as a probe that did not reach it; the loop's bound decides
            }
        }
        throw new DeployException(DeployMain.FAILED, "nginx " + uri + " did not answer from " + next.name()
                + " (instance " + instance + ") in " + NGINX_PROBES + " requests");
    }

    /** The container's address on the stack's network. */
    String address(AppContainer container) throws DeployException, InterruptedException {
        String address = engine.check(EXEC_TIMEOUT, "container", "inspect", "--format",
                "{{(index .NetworkSettings.Networks \"" + network + "\").IPAddress}}", container.name()).strip();
        if (address.isEmpty() || address.equals("<no value>")) {
            throw new DeployException(DeployMain.FAILED, container.name() + " has no address on network " + network);
        }
        return address;
    }

    /** The end of a container's log, as a block for a message. */
    private String lastLogs(AppContainer container) throws InterruptedException {
        try {
            Engine.Result logs = engine.run(EXEC_TIMEOUT, "logs", "--tail", Integer.toString(LOG_LINES), container.name());
            String text = (logs.out() + logs.err()).strip();
            return "\n--- last " + LOG_LINES + " log lines of " + container.name() + ":\n"
                   + (text.isEmpty() ? "(none)" : text);
        } catch (DeployException e) {
            return "\n--- no logs of " + container.name() + ": " + e.getMessage();
        }
    }

    private void remove(AppContainer container) throws InterruptedException {
        try {
            engine.run(RUN_TIMEOUT, "rm", "-f", container.name());
            log.event("container-removed", "slot", container.slot(), "name", container.name());
        } catch (DeployException e) {
            log.event("container-remove-failed", "name", container.name(), "reason", e.getMessage());
        }
    }

    private String unchanged() {
        return "; nginx and the serving containers (" + String.join(", ", upstream.stream().map(NginxUpstream.Server::container)
                .toList()) + ") are as they were";
    }
}
