package io.revenant.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import io.revenant.stack.NginxConf;
import io.revenant.stack.StackSettings;

/**
 * The running nginx's upstream: renders the template for a list of app containers, writes it
 * where the nginx container reads its {@code conf.d}, checks it with {@code nginx -t} and applies
 * it with {@code nginx -s reload}, which starts new workers on the new list while the old ones
 * finish the requests they have in flight. A change returns only when the old workers are gone,
 * so that no request is still on its way to a container that is about to be stopped.
 *
 * <p>The upstream names containers by address, not by DNS name: nginx resolves names only when it
 * loads its configuration, so an address is what it would use anyway, and Podman's DNS server
 * (aardvark-dns) was seen to take 10–30 s to answer right after containers came and went, which
 * stalls {@code nginx -t} and the reload in the middle of a rollout.
 */
final class NginxUpstream {

    /**
     * One upstream server.
     *
     * @param container container name, for the log
     * @param address   its address on the stack's network
     */
    record Server(String container, String address) {
    }

    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(100);
    /** New workers start in milliseconds; a master that has not started them by then did not reload. */
    private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(10);

    private final Engine engine;
    private final StackSettings stack;
    private final String template;
    private final String container;
    private final Path confFile;
    private final DeployLog log;

    /**
     * @param confFile host path of the rendered config, the file the nginx container reads
     *                 ({@code target/stack/nginx/default.conf})
     */
    NginxUpstream(Engine engine, StackSettings stack, String template, Path confFile, DeployLog log) {
        this.engine = engine;
        this.stack = stack;
        this.template = template;
        this.container = stack.nginxContainerName();
        this.confFile = confFile;
        this.log = log;
    }

    /** The config file as it is now: what {@link #restore} puts back. */
    String current() throws DeployException {
        try {
            return Files.readString(confFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DeployException(DeployMain.IO_ERROR, "cannot read " + confFile + ": " + e.getMessage()
                    + " (make up writes it)");
        }
    }

    /**
     * Makes nginx balance over {@code servers} (DNS names on the stack's network). On any failure
     * the previous file is back, nginx runs the configuration it had, and the exception says why.
     */
    void apply(List<Server> servers) throws DeployException, InterruptedException {
        String before = current();
        String next = NginxConf.render(stack, servers.stream().map(server -> server.address() + ":" + stack.appPort()).toList(),
                                       template);
        long started = System.nanoTime();
        write(next);
        Engine.Result test = engine.run(EXEC_TIMEOUT, "exec", container, "nginx", "-t", "-q");
        if (!test.ok()) {
            write(before);
            throw new DeployException(DeployMain.FAILED, "nginx -t refused the upstream " + names(servers) + ": "
                    + test.failure() + "; " + confFile + " is back as it was, nginx was not reloaded");
        }
        try {
            reload();
        } catch (DeployException e) {
            write(before);
            reloadQuietly();
            throw e;
        }
        log.event("nginx-reload", "container", container, "servers", names(servers),
                  "ms", (System.nanoTime() - started) / 1_000_000);
    }

    /** Puts {@code content} back as the config and reloads; used to undo a step of a failed rollout. */
    void restore(String content) throws DeployException, InterruptedException {
        write(content);
        reload();
        log.event("nginx-restore", "container", container);
    }

    /**
     * {@code nginx -s reload}, then waits until new workers serve and the old ones have finished
     * (every request in flight answered). Old workers that still work on a long request when the
     * deadline (nginx's bound for one request, all tries) passes are logged and left to finish:
     * the old container's graceful stop still gives them {@code timeout-stop-sec}.
     */
    private void reload() throws DeployException, InterruptedException {
        NginxWorkers before = workers();
        Engine.Result reload = engine.run(EXEC_TIMEOUT, "exec", container, "nginx", "-s", "reload");
        if (!reload.ok()) {
            throw new DeployException(DeployMain.FAILED, "nginx reload: " + reload.failure());
        }
        long reloadDeadline = System.nanoTime() + RELOAD_TIMEOUT.toNanos();
        long drainDeadline = System.nanoTime() + stack.nextUpstreamTimeout().plusSeconds(2).toNanos();
        NginxWorkers now = workers();
        while (!now.replaced(before)) {
            if (!now.reloaded(before) && System.nanoTime() > reloadDeadline) {
                throw new DeployException(DeployMain.FAILED, "nginx in " + container + " did not start new workers within "
                        + RELOAD_TIMEOUT.toSeconds() + "s of nginx -s reload (workers before " + before.serving()
                        + ", now " + now + "); see " + engine.command() + " logs " + container);
            }
            if (System.nanoTime() > drainDeadline) {
                log.event("nginx-old-workers-busy", "container", container, "pids", now.shuttingDown(),
                          "after-ms", stack.nextUpstreamTimeout().plusSeconds(2).toMillis());
                return;
            }
            Thread.sleep(POLL);
            now = workers();
        }
    }

    private static String names(List<Server> servers) {
        return String.join(",", servers.stream().map(server -> server.container() + "@" + server.address()).toList());
    }

    private void reloadQuietly() throws InterruptedException {
        try {
            reload();
        } catch (DeployException e) {
            log.event("nginx-restore-failed", "container", container, "reason", e.getMessage());
        }
    }

    private NginxWorkers workers() throws DeployException, InterruptedException {
        return NginxWorkers.parse(engine.check(EXEC_TIMEOUT, "exec", container, "sh", "-c", NginxWorkers.LIST_SCRIPT));
    }

    /** Replaces the file in one rename: nginx, reading the mounted directory, sees the old or the new one. */
    private void write(String content) throws DeployException {
        Path next = confFile.resolveSibling("." + confFile.getFileName() + ".next");
        try {
            Files.writeString(next, content, StandardCharsets.UTF_8);
            Files.move(next, confFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DeployException(DeployMain.IO_ERROR, "cannot write " + confFile + ": " + e.getMessage());
        }
    }
}
