package io.revenant.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.revenant.net.NativeDispatch;

import io.revenant.protocol.WorkerSettings;

/**
 * Starts worker JVMs: the same java binary and classpath as the supervisor, the configured JVM
 * options, the worker main class, and the settings in the environment.
 *
 * <p>Must be called from the supervisor loop thread: the kernel's parent-death signal that
 * workers arm fires when the <em>thread</em> that forked them ends, and the loop thread lives as
 * long as the supervisor.
 */
final class WorkerLauncher {

    private final String javaBinary;
    private final String classpath;
    private final Consumer<Event> events;
    private final LogWriter stdout;
    private final LogWriter stderr;
    private final Optional<Path> nativeDispatch;

    /** @param nativeDispatch where the supervisor unpacked JNA's native library for its workers, if it did */
    WorkerLauncher(Consumer<Event> events, LogWriter stdout, LogWriter stderr, Optional<Path> nativeDispatch) {
        this.nativeDispatch = nativeDispatch;
        this.stdout = stdout;
        this.stderr = stderr;
        this.javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.classpath = System.getProperty("java.class.path");
        this.events = events;
    }

    Process launch(WorkerSettings settings, List<String> jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBinary);
        // JNA (prctl, getsockopt) is native access; allowed explicitly so the JDK does not warn
        command.add("--enable-native-access=ALL-UNNAMED");
        nativeDispatch.ifPresent(dir -> command.add("-D" + NativeDispatch.PROPERTY + "=" + dir));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(WorkerSettings.MAIN_CLASS);
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(settings.toEnvironment());
        Process process = builder.start();
        long worker = settings.worker();
        OutputPump.start(worker, process.getInputStream(), stdout);
        OutputPump.start(worker, process.getErrorStream(), stderr);
        process.onExit().thenAccept(exited -> events.accept(new Event.WorkerExited(worker, exited.exitValue())));
        return process;
    }
}
