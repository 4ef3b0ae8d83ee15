package io.revenant.deploy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.revenant.protocol.OneShotHttp;
import io.revenant.stack.ComposeFile;
import io.revenant.stack.StackFiles;
import io.revenant.stack.StackSettings;
import io.revenant.stack.WorkerReply;

/**
 * The stack's nginx taking a new {@code default.conf} (a slot more or less) without failing a
 * request, not even one of a client that never retries: {@link #reload} and, for a new slot,
 * {@link #awaitAnswerFrom}. The pure parts (what nginx's processes and sockets say) are
 * {@link NginxProcesses}; this class runs the commands and waits on them, each wait with a deadline.
 */
final class NginxReload {

    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(250);
    /**
     * The file in nginx's conf.d whose presence makes every answer close its connection
     * (nginx/revenant.conf.template); not {@code *.conf}, so nginx never reads it as configuration.
     */
    static final String CLOSING_FLAG = "closing-connections";
    /** How long the clients' kept-alive connections get to be closed after an answer before a reload. */
    private static final Duration CLOSING_TIMEOUT = Duration.ofSeconds(5);

    private final Engine engine;
    private final StackSettings stack;
    /** nginx's container, where {@code nginx -t}, {@code -s reload} and the looks at its processes run. */
    private final String nginx;
    /** {@link #CLOSING_FLAG} on the host, in the conf.d that nginx's container mounts. */
    private final Path flag;
    private final DeployLog log;

    /** @param stackDir where {@code make up} rendered the stack */
    NginxReload(Engine engine, StackSettings stack, Path stackDir, DeployLog log) {
        this.engine = engine;
        this.stack = stack;
        this.nginx = stack.nginxContainerName();
        this.flag = StackFiles.nginxConfD(stackDir).resolve(CLOSING_FLAG);
        this.log = log;
    }

    /**
     * A graceful reload that fails no request of a client that never retries. A reload's old
     * workers close their idle kept-alive connections at once, which races a client's next
     * request on such a connection (it gets no answer). So first the flag file
     * ({@link #CLOSING_FLAG}, the template's {@code location /} checks it) makes every answer say
     * {@code Connection: close}, and nginx closes each connection after its answer; once the
     * clients' connections open before have all been closed so (or {@link #CLOSING_TIMEOUT}
     * passed: what is left is idle clients that send nothing), {@code nginx -t} and
     * {@code nginx -s reload}; then a wait until every serving worker is new and the old ones have
     * finished what they had in flight and exited, so nothing runs the old configuration any
     * more; then the flag goes.
     *
     * @param why what changed, for the log lines ({@code add slot 3})
     */
    void reload(String why) throws DeployException, InterruptedException {
        try {
            Files.writeString(flag, "make up is reloading nginx: every answer says Connection: close\n");
        } catch (IOException e) {
            throw new DeployException(DeployMain.IO_ERROR, "cannot write " + flag + ": " + e);
        }
        try {
            Set<Long> open = clientConnections();
            long closingDeadline = System.nanoTime() + CLOSING_TIMEOUT.toNanos();
            Set<Long> left = stillOpen(open, clientConnections());
            while (!left.isEmpty() && System.nanoTime() < closingDeadline) {
                Thread.sleep(POLL);
                left = stillOpen(open, clientConnections());
            }
            log.event("nginx-closing", "reason", why, "client-connections", open.size(), "closed", open.size() - left.size(),
                      "idle-left", left.size(), "s", log.elapsed());
            NginxProcesses before = processes();
            Engine.Result test = engine.run(EXEC_TIMEOUT, "exec", nginx, "nginx", "-t");
            if (!test.ok()) {
                throw new DeployException(DeployMain.FAILED, "nginx refuses its new configuration, so it was not reloaded"
                        + " and serves on with the old one: " + test.failure());
            }
            engine.check(EXEC_TIMEOUT, "exec", nginx, "nginx", "-s", "reload");
            long deadline = System.nanoTime() + RELOAD_TIMEOUT.toNanos();
            NginxProcesses now = processes();
            while (!now.reloadedSince(before)) {
                if (System.nanoTime() > deadline) {
                    throw new DeployException(DeployMain.FAILED, "nginx did not start new workers within "
                            + RELOAD_TIMEOUT.toSeconds() + "s of its reload (" + why + "): before " + before + ", now " + now);
                }
                Thread.sleep(POLL);
                now = processes();
            }
            log.event("nginx-reload", "reason", why, "workers", now.serving().toString(), "old-workers",
                      before.serving().toString(), "s", log.elapsed());
            // a request in flight in an old worker ends within this bound of all its tries, then the worker can exit
            long drainDeadline = System.nanoTime() + stack.nextUpstreamTimeout().plusSeconds(10).toNanos();
            while (!now.drainedSince(before) && System.nanoTime() < drainDeadline) {
                Thread.sleep(POLL);
                now = processes();
            }
            if (now.drainedSince(before)) {
                log.event("nginx-drained", "reason", why, "old-workers", "exited", "s", log.elapsed());
            } else {
                log.event("nginx-drain-timeout", "reason", why, "still-shutting-down", now.shuttingDown().toString(),
                          "message", "going on: a removed slot's container finishes what it has in flight when stopped");
            }
        } finally {
            try {
                Files.deleteIfExists(flag);
            } catch (IOException e) {
                log.event("nginx-flag-left", "file", flag.toString(), "reason", e.getMessage(),
                          "message", "nginx closes every connection after its answer until the file is removed");
            }
        }
    }

    /**
     * Waits until nginx, asked on its published port as a client asks it, answers from the new
     * slot's supervisor ({@code instance}): new workers alone do not prove the new upstream works.
     */
    void awaitAnswerFrom(String instance, int slot) throws DeployException, InterruptedException {
        URI address = URI.create("http://" + stack.publishHost() + ":" + stack.nginxPort() + "/");
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        int asked = 0;
        while (System.nanoTime() < deadline) {
            asked++;
            try {
                OneShotHttp.Response answer = OneShotHttp.get(address, Map.of("Accept", "application/json"), EXEC_TIMEOUT);
                if (answer.status() == 200 && WorkerReply.parse(answer.body()).map(WorkerReply::instance)
                        .filter(instance::equals).isPresent()) {
                    log.event("nginx-answers", "slot", slot, "instance", instance, "requests", asked, "s", log.elapsed());
                    return;
                }
            } catch (IOException e) {
                // asked again below; the deadline bounds it
            }
            Thread.sleep(50);
        }
        throw new DeployException(DeployMain.FAILED, "nginx was reloaded with slot " + slot + " but did not answer from it"
                + " (instance " + instance + ") in " + asked + " requests within " + ANSWER_TIMEOUT.toSeconds() + "s");
    }

    /** The clients' connections in {@code before} that are still open {@code now} (by inode: a new one never counts). */
    static Set<Long> stillOpen(Set<Long> before, Set<Long> now) {
        Set<Long> left = new TreeSet<>(before);
        left.retainAll(now);
        return left;
    }

    private Set<Long> clientConnections() throws DeployException, InterruptedException {
        Engine.Result sockets = engine.run(EXEC_TIMEOUT, NginxProcesses.socketsCommand(nginx));
        // an image without tcp6 still prints tcp: the exit code says only that one file was missing
        return NginxProcesses.clientConnections(sockets.out(), ComposeFile.NGINX_CONTAINER_PORT);
    }

    private NginxProcesses processes() throws DeployException, InterruptedException {
        return NginxProcesses.parse(engine.check(EXEC_TIMEOUT,
                NginxProcesses.command(nginx).toArray(String[]::new)));
    }
}
