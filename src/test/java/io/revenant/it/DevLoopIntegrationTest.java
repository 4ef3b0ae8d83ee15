package io.revenant.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.revenant.testing.Await;
import io.revenant.testing.FreshConnectionLoad;
import io.revenant.testing.Http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * Issue 12, {@code make dev}: the dev loop ({@code io.revenant.dev.DevMain}) on a copy of this
 * project's sources (the test edits the copy's {@code HelloService}, never the real one), under
 * fresh-connection load. A saved change must reach every worker by a rolling replacement, with no
 * failed request; a compile error must be shown and leave the workers serving.
 */
class DevLoopIntegrationTest {

    /** A cold compile, then JVMs starting on 2 busy shared cores: generous, it is a bound, not a speed test. */
    private static final Duration STEP = Duration.ofSeconds(180);
    private static final String OLD = "Hello, I am worker";
    private static final String NEW = "Hello from the new build, I am worker";

    @TempDir
    Path dir;

    @Test
    void aSavedChangeReplacesTheWorkersWithNoFailedRequestAndACompileErrorKeepsThemServing() throws Exception {
        Path hello = copyProject().resolve("src/main/java/io/revenant/app/HelloService.java");
        int port = RunningSupervisor.freePort();
        Path config = dir.resolve("config/application.yaml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, """
                server: {host: 127.0.0.1, port: %d}
                supervisor: {workers: 2, spare: 0, timeout-start-sec: 60}
                admin: {port: 0}
                worker:
                  jvm-options: [-XX:+UseSerialGC, -XX:TieredStopAtLevel=1, -Xss512k, -Xmx48m]
                """.formatted(port));

        try (DevLoop dev = DevLoop.start(dir, config)) {
            String started = dev.awaitLine("started 2 workers|the supervisor did not start.*", STEP).group();
            assertThat(dev.output(), started, is("started 2 workers"));
            assertThat(text(port), startsWith(OLD));

            try (FreshConnectionLoad load = new FreshConnectionLoad("dev-loop", port, 2)) {
                long saved = System.nanoTime();
                edit(hello, OLD, NEW);
                Matcher rebuilt = dev.awaitLine("rebuilt in ([0-9.]+) s \\((.*)\\), replaced 2 workers in ([0-9.]+) s", STEP);
                Await.until("GET / answers the new text", STEP, () -> text(port).startsWith(NEW));
                System.out.printf("dev loop: save -> new text answering in %.1f s (build %s s of %s, roll %s s)%n",
                                  (System.nanoTime() - saved) / 1e9, rebuilt.group(1), rebuilt.group(2), rebuilt.group(3));
                assertThat("only the edited file is compiled", rebuilt.group(2), is("1 file"));

                edit(hello, "this.greeting = ", "this.greeting = notDeclared + ");
                dev.awaitLine("dev: build failed in .*; the old workers keep serving", STEP);
                assertThat(dev.output(), containsString("HelloService.java:"));
                assertThat(dev.output(), containsString("error: cannot find symbol"));
                long answeredBefore = load.answered();
                Await.until("requests answered after the failed build", STEP, () -> load.answered() > answeredBefore + 20);
                assertThat(text(port), startsWith(NEW));

                FreshConnectionLoad.Report report = load.stop();
                System.out.println("dev loop load: " + report);
                assertThat("failed requests during the roll and the failed build: " + report, report.failed(), is(0L));
                assertThat(report.answered(), greaterThan(0L));
            }
        }
    }

    /** src/main of this project, copied: the test edits the copy. */
    private Path copyProject() throws IOException {
        for (String root : List.of("src/main/java", "src/main/resources")) {
            Path from = Path.of(root);
            try (Stream<Path> walk = Files.walk(from)) {
                for (Path path : walk.toList()) {
                    Path to = dir.resolve(root).resolve(from.relativize(path).toString());
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(path, to);
                    }
                }
            }
        }
        return dir;
    }

    /** As an editor saves: the new content to a temporary file, renamed over the old. */
    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat("the edit applies to " + file, text.contains(from), is(true));
        Path temporary = file.resolveSibling(file.getFileName() + ".swp");
        Files.writeString(temporary, text.replace(from, to));
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String text(int port) {
        try {
            return Http.request(port, "GET", "/", "Accept: text/plain\r\n").body();
        } catch (IOException e) {
            return "no answer: " + e;
        }
    }

    /** {@code DevMain} as {@code make dev} runs it, with its output kept and copied to target/it-logs/dev-loop.log. */
    private static final class DevLoop implements AutoCloseable {

        private final Process process;
        private final List<String> lines = new ArrayList<>();

        private DevLoop(Process process) {
            this.process = process;
        }

        static DevLoop start(Path project, Path config) throws IOException {
            String classpath = System.getProperty("java.class.path");
            String libs = Stream.of(classpath.split(":")).filter(entry -> entry.endsWith(".jar"))
                    .collect(Collectors.joining(":"));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", classpath,
                    "io.revenant.dev.DevMain", "--config", config.toString(),
                    "--sources", project.resolve("src/main/java").toString(),
                    "--resources", project.resolve("src/main/resources").toString(),
                    "--libs", libs, "--out", project.resolve("target/dev").toString(), "--poll-ms", "200",
                    "--", java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx32m");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            DevLoop dev = new DevLoop(process);
            Path log = Path.of("target", "it-logs", "dev-loop.log");
            Files.createDirectories(log.getParent());
            Thread.ofPlatform().daemon().name("dev-loop-output").start(() -> dev.copy(log));
            return dev;
        }

        private void copy(Path log) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    out.println(line);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        Matcher awaitLine(String regex, Duration deadline) {
            Pattern pattern = Pattern.compile(regex);
            return Await.until(() -> "a line matching /" + regex + "/ from the dev loop\n--- output ---\n" + output(),
                               deadline, () -> {
                synchronized (lines) {
                    return lines.stream().map(pattern::matcher).filter(Matcher::find).findFirst();
                }
            });
        }

        /** SIGTERM: the dev loop stops its supervisor gracefully; anything left after that is killed. */
        @Override
        public void close() throws InterruptedException {
            List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle handle : all) {
                handle.destroyForcibly();
            }
        }
    }
}
