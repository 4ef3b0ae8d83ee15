package io.revenant.worker;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;

import io.revenant.net.Processes;
import io.revenant.net.Signal;
import io.revenant.protocol.Command;
import io.revenant.protocol.HealthProbe;
import io.revenant.protocol.Notice;
import io.revenant.protocol.WorkerExit;
import io.revenant.protocol.WorkerIdentity;
import io.revenant.protocol.WorkerSettings;

/**
 * Entry point of a worker JVM, started by the supervisor: borrow the supervisor's listening
 * socket, start Helidon, prove it serves, adopt the socket, report READY. Stops gracefully on SIGTERM through Helidon's shutdown hook.
 */
public final class WorkerMain {

    /** After it stops accepting, how long a stopping worker lets just-accepted connections be read. */
    private static final long QUIESCE_MS = 200;
    /** How often a waiting spare answers itself a request, so that its serving path stays warm. */
    private static final long KEEP_WARM_MS = 250;

    private WorkerMain() {
    }

    public static void main(String[] args) {
        StartSteps steps = StartSteps.atMain();
        WorkerSettings settings;
        try {
            settings = WorkerSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("revenant worker: " + e.getMessage());
            System.exit(WorkerExit.CONFIG);
            return;
        }
        try {
            System.exit(run(settings, steps));
        } catch (IOException e) {
            System.err.println("revenant worker: " + e.getMessage());
            System.exit(WorkerExit.SOFTWARE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(WorkerExit.SOFTWARE);
        }
    }

    private static int run(WorkerSettings settings, StartSteps steps) throws IOException, InterruptedException {
        long pid = ProcessHandle.current().pid();
        AtomicReference<WorkerIdentity> identity = new AtomicReference<>(
                new WorkerIdentity(settings.instance(), settings.worker(), settings.slot(), pid, settings.version()));
        AtomicReference<SupervisorLink> linked = new AtomicReference<>();
        RequestBudget budget = new RequestBudget(settings.maxRequests(),
                () -> notifyQuietly(linked.get(), new Notice.Recycle(settings.worker(), "max-requests")));
        // a chaos kill waits until READY is sent: a kill queued before the worker took the socket
        // must hit a worker the supervisor knows as ready, as the endpoint promises
        CountDownLatch announced = new CountDownLatch(1);
        Drain drain = new Drain();
        // Helidon's start is most of a worker's start: it runs on its own thread while this one
        // warms BigDecimal, sets up logging, arms the parent-death signal (loading JNA) and borrows
        // the socket, so on two cores the two halves overlap (measured with a sampling profiler:
        // Helidon's thread is the longer one; everything moved off it shortens the start)
        CountDownLatch logging = new CountDownLatch(1);
        FutureTask<WebServer> helidon = new FutureTask<>(() -> {
            WebServer created = WorkerServer.create(settings, identity::get, budget, drain, () -> crash(announced));
            logging.await();   // the server logs its start in the runtime format
            created.start();
            return created;
        });
        Thread.ofPlatform().name("helidon-start").start(helidon);
        // JDK 25's BigDecimal computes 5^65536 in its static initializer (~25 ms of interpreted
        // BigInteger squaring); Helidon's Size needs the class, so it is initialized here, off
        // Helidon's thread, which then finds it ready (or waits on this one, never both). First:
        // Helidon's thread reaches Size after its service registry, before logging would be done
        warm(BigDecimal.class);
        try {
            LogConfig.configureRuntime();
        } finally {
            logging.countDown();   // a failed set-up must not leave Helidon's thread waiting for ever
        }
        // SIGKILL: when the supervisor itself was killed, nobody is left to bound a graceful
        // stop, and a slow drain would keep the port from being reused (as PID 1 of a container
        // the kernel kills the whole namespace anyway). On this thread: the kernel keeps the
        // parent-death signal per thread, and this one lives as long as the worker.
        if (!Processes.dieWithParent(Signal.KILL, settings.supervisorPid())) {
            System.err.println("revenant worker: supervisor pid " + settings.supervisorPid() + " is gone; exiting");
            return WorkerExit.ORPHANED;
        }
        steps.mark("setup");
        // signal handlers and the supervisor link only queue commands; this thread acts on them.
        // Handling TERM ourselves also makes a clean stop exit 0 instead of the JVM's 143.
        BlockingQueue<Instruction> instructions = new LinkedBlockingQueue<>();
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> instructions.add(new Instruction.Stop()));
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> instructions.add(new Instruction.Stop()));
        // a terminal hang-up reaches the whole process group; reloads are the supervisor's business
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sun.misc.SignalHandler.SIG_IGN);
        BorrowedSocket socket;
        try {
            socket = BorrowedSocket.borrow(settings);
        } catch (BorrowedSocket.Refused e) {
            System.err.println("revenant worker: " + e.getMessage());
            started(helidon).ifPresent(WebServer::stop);
            return e.exitCode();
        }
        steps.mark("borrow");
        // the warm-up's and keep-warm requests are not real traffic: the count starts at the takeover
        SpareTakeover takeover = new SpareTakeover(socket, slot -> {
            budget.reset();
            identity.set(new WorkerIdentity(settings.instance(), settings.worker(), slot, pid, settings.version()));
        });
        SupervisorLink link = SupervisorLink.connect(settings.notifySocket(), command -> {
            takeover.offer(command);
            instructions.add(new Instruction.FromSupervisor(command));
        });
        linked.set(link);
        Optional<WebServer> maybeServer = started(helidon);
        steps.mark("helidon");
        if (maybeServer.isEmpty() || !maybeServer.get().isRunning()) {
            maybeServer.ifPresent(WebServer::stop);
            System.err.println("revenant worker: Helidon did not start its loopback listeners");
            return WorkerExit.UNAVAILABLE;
        }
        WebServer server = maybeServer.get();
        int placeholderPort = server.port();
        int adminPort = server.port(WorkerServer.ADMIN_SOCKET);
        if (!HealthProbe.status(adminPort, 2000).equals("200")) {
            System.err.println("revenant worker: the admin listener on 127.0.0.1:" + adminPort + " does not answer");
            server.stop();
            return WorkerExit.UNAVAILABLE;
        }
        steps.mark("admin");
        try {
            socket.prepare(placeholderPort);
        } catch (BorrowedSocket.Refused e) {
            System.err.println("revenant worker: " + e.getMessage());
            server.stop();
            return e.exitCode();
        }
        steps.mark("prepare");
        if (settings.spare()) {
            SpareWarmup.run(placeholderPort);
            takeover.arm();
            steps.mark("warmup");
            link.send(new Notice.Spare(settings.worker(), pid));
            OptionalInt slot = awaitBind(instructions, () -> SpareWarmup.once(placeholderPort));
            steps.mark("bind-wait");
            if (slot.isEmpty()) {
                server.stop();
                link.close();
                return WorkerExit.STOPPED;
            }
            Optional<Integer> taken;
            try {
                taken = takeover.result();   // the link's reader adopted the socket as it read the BIND
            } catch (BorrowedSocket.Refused e) {
                System.err.println("revenant worker: " + e.getMessage());
                server.stop();
                return e.exitCode();
            }
            if (taken.isEmpty()) {
                System.err.println("revenant worker: a BIND came before this spare reported SPARE; not adopting");
                server.stop();
                return WorkerExit.SOFTWARE;
            }
        } else {
            // ready before traffic: the public socket is adopted only after every check above passed
            try {
                socket.adopt();
            } catch (BorrowedSocket.Refused e) {
                System.err.println("revenant worker: " + e.getMessage());
                server.stop();
                return e.exitCode();
            }
        }
        steps.mark("adopt");
        link.send(new Notice.Ready(settings.worker(), pid, adminPort, socket.inode(), socket.swapMicros(),
                                   socket.wakeMicros()));
        steps.mark("ready");
        announced.countDown();
        System.out.println(steps.line(settings.worker(), pid));
        while (!(instructions.take() instanceof Instruction.Stop)) {
            // no command from the supervisor applies to a bound worker
        }
        // every response from now on closes its connection; then stop accepting (this process's
        // copy of the socket only: the supervisor and the other workers keep it, with its queue),
        // wait (half the grace) for the kept-alive connections to end after their next response,
        // and let Helidon's stop finish the rest
        drain.begin();
        socket.release(QUIESCE_MS);
        drain.await(settings.stopGrace().toMillis() / 2);
        server.stop();
        link.close();
        return WorkerExit.STOPPED;
    }

    /** Runs the static initializer of {@code type} now, on this thread. */
    private static void warm(Class<?> type) {
        try {
            Class.forName(type.getName(), true, type.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);   // a class literal always resolves
        }
    }

    /** The server Helidon's start thread started, or empty (reported) when its start failed. */
    private static Optional<WebServer> started(FutureTask<WebServer> helidon) throws InterruptedException {
        try {
            return Optional.of(helidon.get());
        } catch (ExecutionException e) {
            System.err.println("revenant worker: Helidon did not start: " + e.getCause());
            return Optional.empty();
        }
    }

    /**
     * The slot of the supervisor's BIND, or empty when a stop came first; {@code keepWarm} runs
     * whenever {@value #KEEP_WARM_MS} ms pass without one. An instanceof test, not a pattern
     * switch: the switch's first run bootstraps a call site, milliseconds of a takeover.
     */
    private static OptionalInt awaitBind(BlockingQueue<Instruction> instructions, Runnable keepWarm)
            throws InterruptedException {
        Instruction next = instructions.poll(KEEP_WARM_MS, TimeUnit.MILLISECONDS);
        while (next == null) {
            keepWarm.run();
            next = instructions.poll(KEEP_WARM_MS, TimeUnit.MILLISECONDS);
        }
        if (next instanceof Instruction.FromSupervisor(Command.Bind bind)) {
            return OptionalInt.of(bind.slot());
        }
        return OptionalInt.empty();
    }

    private static void notifyQuietly(SupervisorLink link, Notice notice) {
        if (link == null) {
            return;   // not linked yet: no request is served before READY
        }
        try {
            link.send(notice);
        } catch (IOException e) {
            System.err.println("revenant worker: cannot notify supervisor: " + e.getMessage());
        }
    }

    /** What the main thread acts on: signal handlers and the supervisor link only queue these. */
    private sealed interface Instruction {

        /** TERM or INT: stop gracefully. */
        record Stop() implements Instruction {
        }

        record FromSupervisor(Command command) implements Instruction {
        }
    }

    /** The chaos endpoint's crash: no shutdown hooks, no graceful stop, like a real crash. */
    private static void crash(CountDownLatch announced) {
        try {
            announced.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.flush();
        Processes.exitNow(WorkerExit.CHAOS_KILL);
    }
}
