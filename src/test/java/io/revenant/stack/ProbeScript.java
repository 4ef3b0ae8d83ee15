package io.revenant.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a {@link ProbeCommand} with the repository's copy of the image's script, as the image would. */
public final class ProbeScript {

    /** The file the image installs as {@link ProbeCommand#SCRIPT}. */
    public static final Path FILE = Path.of("container/revenant-health");

    /** Exit code and output of one run. */
    public record Result(int code, String output) {
    }

    private ProbeScript() {
    }

    /** Runs {@code command} (whose first word is {@link ProbeCommand#SCRIPT}) with {@code environment} added. */
    public static Result run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
        List<String> local = new ArrayList<>(List.of("bash", FILE.toString()));
        local.addAll(command.subList(1, command.size()));
        ProcessBuilder builder = new ProcessBuilder(local).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("REVENANT_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("probe still running after 10 s: " + local);
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    public static int code(List<String> command) throws IOException, InterruptedException {
        return run(command, Map.of()).code();
    }
}
