package io.revenant.deploy;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The container engine's command line ({@code podman} or {@code docker}, as {@code make} chose),
 * one process per call. Only the subcommands and flags both engines share are used.
 */
final class Engine {

    /** Exit code reported when the command did not finish within its timeout and was killed. */
    static final int TIMED_OUT = -1;

    /** How long one {@code container inspect} may take: it only reads the engine's own state. */
    private static final Duration INSPECT_TIMEOUT = Duration.ofSeconds(10);

    /** Standard input of every call: none, so nothing waits on a terminal. */
    private static final File NO_INPUT = new File("/dev/null");

    private final String command;

    /** @param command {@code podman} or {@code docker} (a path works too) */
    Engine(String command) {
        this.command = command;
    }

    String command() {
        return command;
    }

    /**
     * Exit code, standard output and standard error of one call.
     *
     * @param code the exit code, or {@link #TIMED_OUT}
     */
    record Result(List<String> command, int code, String out, String err) {

        boolean ok() {
            return code == 0;
        }

        /** What went wrong, for a message: the command, its code and its error output. */
        String failure() {
            String text = err.isBlank() ? out.strip() : err.strip();
            return String.join(" ", command) + (code == TIMED_OUT ? " timed out" : " exited " + code)
                    + (text.isEmpty() ? "" : ": " + text);
        }
    }

    /** Runs {@code engine args…}; never throws for a non-zero exit, only when the engine cannot be started. */
    Result run(Duration timeout, List<String> args) throws DeployException, InterruptedException {
        List<String> argv = new ArrayList<>(args.size() + 1);
        argv.add(command);
        argv.addAll(args);
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(NO_INPUT)).start();
        } catch (IOException e) {
            throw new DeployException(DeployMain.UNAVAILABLE, "cannot run " + command + ": " + e.getMessage());
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = Thread.ofVirtual().name("engine-stderr").start(() -> drain(process.getErrorStream(), err));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread outReader = Thread.ofVirtual().name("engine-stdout").start(() -> drain(process.getInputStream(), out));
        int code;
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            code = process.exitValue();
        } else {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
            code = TIMED_OUT;
        }
        outReader.join(Duration.ofSeconds(5));
        errReader.join(Duration.ofSeconds(5));
        return new Result(List.copyOf(argv), code, out.toString(StandardCharsets.UTF_8),
                          err.toString(StandardCharsets.UTF_8));
    }

    Result run(Duration timeout, String... args) throws DeployException, InterruptedException {
        return run(timeout, List.of(args));
    }

    /** Like {@link #run}, but a non-zero exit is a {@link DeployException} with the engine's own message. */
    String check(Duration timeout, String... args) throws DeployException, InterruptedException {
        Result result = run(timeout, List.of(args));
        if (!result.ok()) {
            throw new DeployException(DeployMain.FAILED, result.failure());
        }
        return result.out();
    }

    /** Whether the container exists and runs; a container that does not exist does not run. */
    boolean running(String container) throws DeployException, InterruptedException {
        Result result = run(INSPECT_TIMEOUT, "container", "inspect", "--format", "{{.State.Running}}", container);
        return result.ok() && result.out().strip().equals("true");
    }

    boolean exists(String container) throws DeployException, InterruptedException {
        return run(INSPECT_TIMEOUT, "container", "inspect", "--format", "{{.Id}}", container).ok();
    }

    /** One Go template {@code format} filled in for the container; a missing container is a {@link DeployException}. */
    String inspect(String container, String format) throws DeployException, InterruptedException {
        return check(INSPECT_TIMEOUT, "container", "inspect", "--format", format, container).strip();
    }

    private static void drain(InputStream in, ByteArrayOutputStream sink) {
        try (in) {
            in.transferTo(sink);
        } catch (IOException e) {
            // the pipe broke because the process was killed after its timeout; the caller reports that
            sink.writeBytes(("[" + e.getMessage() + "]").getBytes(StandardCharsets.UTF_8));
        }
    }
}
