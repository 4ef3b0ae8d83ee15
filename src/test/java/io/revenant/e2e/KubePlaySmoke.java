package io.revenant.e2e;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.revenant.k8s.K8sMain;
import io.revenant.stack.WorkerReply;
import io.revenant.testing.Await;
import io.revenant.testing.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code make k8s-smoke}: the Deployment of {@code container/k8s} as {@code podman kube play} runs
 * it (ConfigMap volume, CPU limit, security context, hostPort on 127.0.0.1, since Services are
 * ignored). Checks that the pod runs with no sysctl, that it serves, that the probe commands of
 * the manifest pass inside it, that a killed worker comes back inside the same pod (same
 * supervisor instance and PID 1, no container restart), and that workers killed every 200 ms
 * under fresh-connection load refuse no connection. Podman only (Docker has no kube play); its own pod name, host port and
 * image tag, so it never touches the compose stack. {@link #down()} always runs.
 *
 * <p>Not a {@code *E2E} class: {@code make e2e} does not run it; {@code make k8s-smoke} names it.
 */
@ExtendWith(NoSysctl.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubePlaySmoke {

    private static final String IMAGE = System.getProperty("k8s.image", "revenant-k8s-test:0.1.0");
    private static final String NAME = System.getProperty("k8s.name", "revenant-k8s-smoke");
    private static final int PORT = Integer.getInteger("k8s.port", 6000);
    private static final Path MANIFEST = Stack.ROOT.resolve("target/k8s-smoke/" + NAME + ".yaml");
    private static final URI APP = URI.create("http://127.0.0.1:" + PORT + "/");
    private static final Duration START_DEADLINE = Duration.ofSeconds(90);
    private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(30);
    /** The fresh-connection load with kills every 200 ms: shorter than make e2e's, it is a smoke test. */
    private static final Duration CHAOS = Duration.ofSeconds(8);

    /** Timings, printed and appended to target/e2e-logs/k8s-smoke.txt at the end. */
    private static final Map<String, Long> MILLIS = new LinkedHashMap<>();

    private static String container;
    private static WorkerReply first;

    @BeforeAll
    static void play() throws Exception {
        assertEquals(0, K8sMain.run(new String[] {"smoke", "--config", "config/application.yaml", "--image", IMAGE,
                                                  "--name", NAME, "--host-port", Integer.toString(PORT),
                                                  "--out", MANIFEST.toString()}));
        NoSysctl.assertHostMigrateReqOff();
        NoSysctl.assertFileSetsNone(MANIFEST);
        removeLeftovers();
        assertFalse(Stack.listening("127.0.0.1", PORT), "127.0.0.1:" + PORT + " is taken by something else;"
                + " run with K8S_SMOKE_PORT=another port");
        long start = System.nanoTime();
        Stack.Result played = Stack.engine("kube", "play", MANIFEST.toString());
        assertEquals(0, played.code(), "podman kube play failed:\n" + played.tail(30));
        MILLIS.put("kube-play", elapsed(start));
        container = appContainer();
        AtomicReference<Optional<WorkerReply>> seen = new AtomicReference<>(Optional.empty());
        Await.slowly("the pod answers on " + APP, START_DEADLINE, () -> {
            seen.set(Http.identify(APP));
            return seen.get().isPresent();
        }, () -> logs(20));
        first = seen.get().orElseThrow();
        MILLIS.put("play-to-first-200", elapsed(start));
    }

    @Test
    @Order(0)
    void thePodRunsWithNoSysctl() throws Exception {
        NoSysctl.assertFileSetsNone(MANIFEST);
        NoSysctl.assertContainerHasNone(container);
    }

    @AfterAll
    static void down() throws Exception {
        long start = System.nanoTime();
        String logs = container == null ? "" : logs(200);
        removeLeftovers();
        MILLIS.put("kube-down", elapsed(start));
        Files.createDirectories(Stack.LOGS);
        Files.writeString(Stack.LOGS.resolve("k8s-smoke-pod.log"), logs);
        String line = Instant.now() + " k8s-smoke " + MILLIS.entrySet().stream()
                .map(e -> e.getKey() + "-ms=" + e.getValue()).reduce((a, b) -> a + " " + b).orElse("") + "\n";
        System.out.print(line);
        Files.writeString(Stack.LOGS.resolve("k8s-smoke.txt"), line, StandardCharsets.UTF_8,
                          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        assertFalse(Stack.listening("127.0.0.1", PORT), "127.0.0.1:" + PORT + " still answers after podman kube down");
        assertEquals("", Stack.engine("ps", "-a", "--filter", "name=^" + NAME + "-pod", "--format", "{{.Names}}")
                .output().strip(), "containers left after podman kube down");
    }

    @Test
    @Order(1)
    void onePodOneSupervisorWhoseWorkersFollowTheCpuLimit() throws Exception {
        String logs = logs(50);
        // the smoke variant asks for cpu 1: the JVM sees the quota, containers is 1 in the pod
        assertThat(logs, containsString("event=supervisor-start"));
        assertThat(logs, containsString("containers=1 workers=1 basis=cpu-quota"));
        assertThat(logs, containsString("pid=1 "));
    }

    @Test
    @Order(2)
    void theProbeCommandsOfTheManifestPassInsideThePod() throws Exception {
        Map<String, List<String>> probes = probeCommands();
        assertEquals(List.of("startupProbe", "readinessProbe", "livenessProbe"), List.copyOf(probes.keySet()));
        for (Map.Entry<String, List<String>> probe : probes.entrySet()) {
            long start = System.nanoTime();
            Stack.Result result = Stack.engine(inPod(probe.getValue()));
            MILLIS.put(probe.getKey(), elapsed(start));
            assertEquals(0, result.code(), probe.getKey() + " failed in the pod: " + result.output());
        }
        // and the readiness probe can fail: nothing answers on a port the supervisor does not use
        List<String> readiness = new ArrayList<>(probes.get("readinessProbe"));
        readiness.set(2, "9");
        Stack.Result wrongPort = Stack.engine(inPod(readiness));
        assertNotEquals(0, wrongPort.code(), "a readiness probe against a closed port passed");
    }

    @Test
    @Order(3)
    void aKilledWorkerComesBackInsideThePod() throws Exception {
        long pid1 = Stack.mainPid(container);
        int restarts = Stack.restartCount(container);
        long start = System.nanoTime();
        Http.Response kill = Http.post(APP.resolve("/chaos/kill"));
        assertEquals(202, kill.status(), kill.body());
        WorkerReply killed = kill.worker().orElseThrow();
        assertEquals(first.instance(), killed.instance());
        AtomicReference<Optional<WorkerReply>> seen = new AtomicReference<>(Optional.empty());
        Await.slowly("a new worker of the same supervisor answers", RECOVERY_DEADLINE, () -> {
            seen.set(Http.identify(APP));
            return seen.get().filter(r -> r.worker() != killed.worker()).isPresent();
        }, () -> seen.get() + "\n" + logs(10));
        MILLIS.put("kill-to-new-worker", elapsed(start));
        WorkerReply back = seen.get().orElseThrow();
        assertEquals(killed.instance(), back.instance(), "same supervisor instance: the pod was not restarted");
        assertTrue(back.worker() > killed.worker(), "a new worker id: " + back.worker() + " after " + killed.worker());
        assertEquals(pid1, Stack.mainPid(container), "the container's PID 1 is the same process");
        assertEquals(restarts, Stack.restartCount(container), "the container was not restarted");
        assertThat(logs(20), containsString("worker=" + killed.worker() + " pid="));
        assertThat(logs(20), containsString("cause=chaos-kill"));
        List<String> readiness = probeCommands().get("readinessProbe");
        Await.slowly("the readiness probe passes again", RECOVERY_DEADLINE,
                    () -> exec(readiness) == 0, () -> logs(10));
    }

    @Test
    @Order(4)
    void killingWorkersUnderFreshConnectionLoadRefusesNoConnection() throws Exception {
        AtomicReference<Optional<WorkerReply>> seen = new AtomicReference<>(Optional.empty());
        Await.slowly("the pod answers before the load", RECOVERY_DEADLINE, () -> {
            seen.set(Http.identify(APP));
            return seen.get().isPresent();
        }, () -> logs(10));
        long pid1 = Stack.mainPid(container);
        int restarts = Stack.restartCount(container);
        DirectChaos.Outcome outcome = DirectChaos.run(APP, "k8s-smoke pod (cpu 1: 1 worker + the config's spare)",
                                                      CHAOS, "k8s-smoke.txt");
        DirectChaos.assertHeld(outcome);
        String logs = logs(400);
        assertThat(logs, containsString("cause=chaos-kill"));
        Await.slowly("a worker of the same supervisor answers after the kills", RECOVERY_DEADLINE, () -> {
            seen.set(Http.identify(APP));
            return seen.get().filter(r -> r.instance().equals(first.instance())).isPresent();
        }, () -> seen.get() + "\n" + logs(10));
        assertEquals(pid1, Stack.mainPid(container), "the container's PID 1 is the same process");
        assertEquals(restarts, Stack.restartCount(container), "the container was not restarted");
    }

    /** The probes' commands (script, mode, port, host), in manifest order, read from the rendered Deployment. */
    private static Map<String, List<String>> probeCommands() throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        JsonNode deployment = null;
        var documents = yaml.readValues(new YAMLFactory().createParser(MANIFEST.toFile()), JsonNode.class);
        while (documents.hasNext()) {
            JsonNode document = documents.next();
            if (document.path("kind").asText().equals("Deployment")) {
                deployment = document;
            }
        }
        assertTrue(deployment != null, MANIFEST + " has no Deployment");
        JsonNode app = deployment.path("spec").path("template").path("spec").path("containers").get(0);
        Map<String, List<String>> commands = new LinkedHashMap<>();
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            List<String> command = new ArrayList<>();
            app.path(probe).path("exec").path("command").forEach(word -> command.add(word.asText()));
            assertEquals(4, command.size(), probe + " is not the image's probe script with mode, port and host: " + command);
            commands.put(probe, command);
        }
        return commands;
    }

    /** The engine's arguments that run {@code command} in the pod's app container. */
    private static String[] inPod(List<String> command) {
        List<String> args = new ArrayList<>(List.of("exec", container));
        args.addAll(command);
        return args.toArray(String[]::new);
    }

    private static int exec(List<String> command) {
        try {
            return Stack.engine(inPod(command)).code();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The app container of the pod podman made from the Deployment ({@code <name>-pod[-0]-revenant}). */
    private static String appContainer() throws IOException, InterruptedException {
        List<String> names = new ArrayList<>(Stack.engine("ps", "--filter", "name=^" + NAME + "-pod",
                                                          "--format", "{{.Names}}").output().lines()
                .filter(name -> name.endsWith("-revenant")).toList());
        assertEquals(1, names.size(), "one app container expected: " + names);
        return names.getFirst();
    }

    private static String logs(int lines) {
        try {
            return Stack.engine("logs", "--tail", Integer.toString(lines), container).output();
        } catch (IOException e) {
            return "(no logs: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    /**
     * podman kube down, then the ConfigMap's volume, which Podman 4.3 leaves behind and would
     * reuse, stale, at the next play.
     */
    private static void removeLeftovers() throws IOException, InterruptedException {
        if (Files.exists(MANIFEST)) {
            Stack.engine("kube", "down", MANIFEST.toString());
        }
        Stack.engine("volume", "rm", "--force", NAME + "-config");
    }

    private static long elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
