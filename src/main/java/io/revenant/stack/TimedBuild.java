package io.revenant.stack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.revenant.protocol.ToolExit;

/**
 * {@code make image}: runs the engine's build command and shows how long into the build each
 * build step began, since the engines print their steps without times. Every line is passed
 * through; a step's first line gets the elapsed time in front. The build's exit code is the
 * tool's.
 *
 * <pre>
 * TimedBuild [--label "make image"] -- podman build …
 *   [   0.4s] [1/2] STEP 1/9: FROM eclipse-temurin:25-jdk AS build     (Podman, Buildah)
 *   [  31.2s] #9 [build 5/7] RUN mvn -B -q -e dependency:go-offline   (docker buildx)
 *   [   2.0s] Step 3/12 : COPY pom.xml .                             (Docker's classic builder)
 * </pre>
 */
public final class TimedBuild {

    /**
     * A build step's first line, as each engine prints it; Podman puts the stage in front in a
     * multi-stage build ({@code [1/2] STEP 3/9: WORKDIR /src}).
     */
    private static final Pattern STEP = Pattern.compile("^((\\[\\d+/\\d+] )?STEP \\d+/\\d+: |Step \\d+/\\d+ : |#\\d+ \\[)");

    private TimedBuild() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        int dashes = Arrays.asList(args).indexOf("--");
        if (dashes < 0 || dashes == args.length - 1) {
            System.err.println("usage: TimedBuild [--label TEXT] -- BUILD COMMAND…");
            return ToolExit.USAGE;
        }
        String label = dashes >= 2 && args[0].equals("--label") ? args[1] : "build";
        List<String> command = List.of(args).subList(dashes + 1, args.length);
        long started = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            System.err.println(label + ": cannot run " + command.getFirst() + ": " + e.getMessage());
            return ToolExit.UNAVAILABLE;
        }
        int steps = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (isStep(line)) {
                    steps++;
                }
                System.out.println(line(line, (System.nanoTime() - started) / 1_000_000));
                System.out.flush();
            }
        } catch (IOException e) {
            System.err.println(label + ": reading the build's output: " + e.getMessage());
        }
        int code;
        try {
            code = process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            return ToolExit.FAILED;
        }
        System.out.println(label + ": " + (code == 0 ? "built" : "failed (exit " + code + ")") + " in "
                           + seconds((System.nanoTime() - started) / 1_000_000) + "s, " + steps + " step(s)");
        return code;
    }

    /** Whether the line starts a build step. */
    static boolean isStep(String line) {
        return STEP.matcher(line).find();
    }

    /** The line as shown: with the elapsed time in front when it starts a step, as it is otherwise. */
    static String line(String line, long elapsedMillis) {
        return isStep(line) ? String.format(Locale.ROOT, "[%7.1fs] %s", elapsedMillis / 1000.0, line) : line;
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }
}
