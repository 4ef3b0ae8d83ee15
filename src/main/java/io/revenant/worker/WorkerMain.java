package io.revenant.worker;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;

import io.revenant.config.WorkerIdentity;
import io.revenant.config.WorkerSettings;
import io.revenant.net.ListeningSockets;
import io.revenant.net.Processes;
import io.revenant.net.Signal;

/**
 * Entry point of a worker JVM, started by the supervisor: bind, prove the port is shared,
 * prove it serves, report READY. Stops gracefully on SIGTERM through Helidon's shutdown hook.
 */
public final class WorkerMain {

    /** What a TERM or INT puts in the command queue. */
    private static final String STOP = "STOP";

    private WorkerMain() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        WorkerSettings settings;
        try {
            settings = WorkerSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("revenant worker: " + e.getMessage());
            System.exit(WorkerExit.CONFIG);
            return;
        }
        // SIGKILL: when the supervisor itself was killed, nobody is left to bound a graceful
        // stop, and a slow drain would keep the port from being reused (as PID 1 of a container
        // the kernel kills the whole namespace anyway)
        if (!Processes.dieWithParent(Signal.KILL, settings.supervisorPid())) {
            System.err.println("revenant worker: supervisor pid " + settings.supervisorPid() + " is gone; exiting");
            System.exit(WorkerExit.ORPHANED);
        }
        try {
            System.exit(run(settings));
        } catch (IOException e) {
            System.err.println("revenant worker: " + e.getMessage());
            System.exit(WorkerExit.SOFTWARE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(WorkerExit.SOFTWARE);
        }
    }

    private static int run(WorkerSettings settings) throws IOException, InterruptedException {
        // signal handlers and the supervisor link only queue commands; this thread acts on them.
        // Handling TERM ourselves also makes a clean stop exit 0 instead of the JVM's 143.
        BlockingQueue<String> commands = new LinkedBlockingQueue<>();
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> commands.add(STOP));
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> commands.add(STOP));
        // a terminal hang-up reaches the whole process group; reloads are the supervisor's business
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sun.misc.SignalHandler.SIG_IGN);
        SupervisorLink link = SupervisorLink.connect(settings.notifySocket(), commands::add);
        long pid = ProcessHandle.current().pid();
        int slot = settings.slot();
        if (settings.spare()) {
            SpareWarmup.run(settings, new WorkerIdentity(settings.instance(), settings.worker(), 0, pid,
                                                         settings.version()));
            link.send("SPARE=1 WORKER=" + settings.worker() + " PID=" + pid);
            String command = commands.take();
            if (command.equals(STOP)) {
                link.close();
                return WorkerExit.STOPPED;
            }
            slot = Integer.parseInt(command.replaceFirst("^BIND SLOT=(\\d+)$", "$1"));
        }
        WorkerIdentity identity = new WorkerIdentity(settings.instance(), settings.worker(), slot, pid,
                                                     settings.version());
        RequestBudget budget = new RequestBudget(settings.maxRequests(),
                () -> notifyQuietly(link, "RECYCLE=max-requests WORKER=" + identity.worker()));
        WebServer server = WorkerServer.create(settings, identity, budget, WorkerMain::crash);
        server.start();
        int port = settings.server().port();
        if (!server.isRunning()) {
            System.err.println("revenant worker: cannot listen on " + settings.server().host() + ":" + port
                               + " (address in use or not local)");
            return WorkerExit.UNAVAILABLE;
        }
        List<ListeningSockets.Listener> listeners = ListeningSockets.onPort(port);
        if (listeners.isEmpty() || !listeners.stream().allMatch(ListeningSockets.Listener::reusePort)) {
            System.err.println("revenant worker: SO_REUSEPORT is not set on the listening socket of port " + port
                               + " (getsockopt found " + listeners + "); siblings could not share it");
            server.stop();
            return WorkerExit.NO_REUSEPORT;
        }
        int adminPort = server.port(WorkerServer.ADMIN_SOCKET);
        if (!HealthProbe.status(adminPort, 2000).equals("200")) {
            System.err.println("revenant worker: the admin listener on 127.0.0.1:" + adminPort + " does not answer");
            server.stop();
            return WorkerExit.UNAVAILABLE;
        }
        link.send("READY=1 WORKER=" + identity.worker() + " PID=" + pid + " ADMIN_PORT=" + adminPort);
        while (!commands.take().equals(STOP)) {
            // no other command applies to a bound worker
        }
        // closes the listener first (queued connections move to siblings with tcp_migrate_req),
        // then lets in-flight requests finish within the stop grace
        server.stop();
        link.close();
        return WorkerExit.STOPPED;
    }

    private static void notifyQuietly(SupervisorLink link, String fields) {
        try {
            link.send(fields);
        } catch (IOException e) {
            System.err.println("revenant worker: cannot notify supervisor: " + e.getMessage());
        }
    }

    /** The chaos endpoint's crash: no shutdown hooks, no graceful stop, like a real crash. */
    private static void crash() {
        System.out.flush();
        Processes.exitNow(WorkerExit.CHAOS_KILL);
    }
}
