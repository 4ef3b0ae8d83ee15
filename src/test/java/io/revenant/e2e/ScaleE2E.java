package io.revenant.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import io.revenant.stack.StackEnv;
import io.revenant.testing.Await;
import io.revenant.testing.Http;
import io.revenant.testing.WrkLoad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code make up} on a running stack whose {@code supervisor.containers} changed scales it in
 * place (issue 12): containers are added or removed one at a time and nginx is reloaded
 * gracefully after each, under GET loads that never retry ({@link WrkLoad}: through nginx, and
 * straight to app1's published port, which every step keeps): 0 errors of any kind. After each
 * step the project has exactly the expected containers, nginx answers from each slot, the
 * containers that stay are the same (same instance ids: not restarted), and the stack's files
 * are what a fresh {@code make up} with the new count renders. {@code make up} on an unchanged
 * stack says "nothing to do" and changes nothing. A stack of its own: project rv-scale-e2e,
 * nginx on 127.0.0.1:5598, containers on 5511…, admin on 5561…, image rv-scale-e2e,
 * files in target/stack-scale-e2e. Figures appended to {@code target/e2e-logs/scale.txt}.
 *
 * <p>Each case stands alone: it first brings the stack to the count it starts from
 * ({@link #scaledTo}), a no-op in the order below.
 */
@ExtendWith(NoSysctl.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ScaleE2E {

    private static final String NAME = "scale";
    private static final String PROJECT = "rv-scale-e2e";
    private static final String STACK_DIR = "target/stack-scale-e2e";
    private static final List<String> MAKE_VARS = List.of("PROJECT=" + PROJECT, "NGINX_PORT=5598",
            "IMAGE_NAME=" + PROJECT, "STACK_DIR=" + STACK_DIR);
    /** A few connections per load: requests in flight at every step, little for 2 cores. */
    private static final int CONNECTIONS = 4;

    private Stack stack;

    @BeforeAll
    void up() throws IOException, InterruptedException {
        try {
            stack = Stack.up(NAME, MAKE_VARS, "port: 3000 ", "port: 5510 ", "port: 9000", "port: 5560");
        } catch (AssertionError | IOException e) {
            // make up leaves a failed stack for a look; the test's logs have the look
            List<String> down = new ArrayList<>(List.of("down", "CONFIG=" + Stack.ROOT.resolve("target/e2e/" + NAME)
                    .resolve("application.yaml")));
            down.addAll(MAKE_VARS);
            Stack.make(NAME + "-down-after-failed-up", down.toArray(String[]::new));
            throw e;
        }
    }

    @AfterAll
    void down() throws IOException, InterruptedException {
        if (stack != null) {
            stack.close();
            List<String> left = Stack.leftovers(PROJECT);
            assertTrue(left.isEmpty(), "left after make down: " + left);
        }
    }

    @Test
    @Order(1)
    void scalingUpFromTwoToThreeFailsNoRequestAndKeepsTheRunningContainers() throws IOException, InterruptedException {
        scaledTo(2);
        Map<Integer, String> before = instances();
        Outcome outcome = underLoad("up-2-to-3", 3);
        assertEquals(0, outcome.make().code(), "make up failed:\n" + outcome.make().tail(40));
        outcome.assertNoError();
        assertTrue(outcome.make().output().contains("event=slot-added slot=3"), outcome.make().tail(40));
        assertTrue(outcome.make().output().contains("event=nginx-reload"), outcome.make().tail(40));
        Map<Integer, String> after = instances();
        assertEquals(Set.of(1, 2, 3), after.keySet());
        assertEquals(before.get(1), after.get(1), "app1 was restarted");
        assertEquals(before.get(2), after.get(2), "app2 was restarted");
        assertScaledStack(3, outcome);
    }

    @Test
    @Order(2)
    void scalingDownFromThreeToOneFailsNoRequestAndRemovesTheHighestSlotsFirst() throws IOException, InterruptedException {
        scaledTo(3);
        Map<Integer, String> before = instances();
        Outcome outcome = underLoad("up-3-to-1", 1);
        assertEquals(0, outcome.make().code(), "make up failed:\n" + outcome.make().tail(40));
        outcome.assertNoError();
        String output = outcome.make().output();
        assertTrue(output.indexOf("event=slot-removed slot=3") >= 0
                   && output.indexOf("event=slot-removed slot=3") < output.indexOf("event=slot-removed slot=2"),
                   "slot 3 is not removed before slot 2:\n" + outcome.make().tail(40));
        assertEquals(Map.of(1, before.get(1)), instances(), "app1 was restarted");
        assertScaledStack(1, outcome);
        // the one container left works its worker count out for supervisor.containers: 1
        String status = Http.get(5561, "/status").body();
        assertTrue(status.contains("containers=1 "), "app1's status does not say containers=1: " + status);
    }

    @Test
    @Order(3)
    void upOnAnUnchangedStackDoesNothingAndSaysSo() throws IOException, InterruptedException {
        int containers = env().containers();
        Map<Integer, String> before = instances();
        Map<String, String> ids = containerIds();
        String files = stackFiles();
        long started = System.nanoTime();
        Stack.Result again = stack.makeResult("up-unchanged", "up");
        long took = System.nanoTime() - started;
        assertEquals(0, again.code(), "make up failed:\n" + again.tail(40));
        assertTrue(again.output().contains("stack " + PROJECT + ": " + containers + " container(s) running, as"
                                           + " supervisor.containers asks: nothing to do"), again.tail(20));
        assertTrue(!again.output().contains("event="), "make up did something:\n" + again.tail(20));
        assertEquals(before, instances(), "instance ids changed");
        assertEquals(ids, containerIds(), "container ids changed");
        assertEquals(files, stackFiles(), "the stack's files changed");
        record("up-unchanged", again, null, null, took);
    }

    /** Set-up, not under test: the stack runs {@code containers} containers, by a make up when it does not. */
    private void scaledTo(int containers) throws IOException, InterruptedException {
        if (env().containers() == containers) {
            return;
        }
        setContainers(containers);
        Stack.Result up = stack.makeResult("setup-" + containers, "up");
        assertEquals(0, up.code(), "set-up: make up with " + containers + " containers failed:\n" + up.tail(40));
        assertEquals(containers, env().containers());
    }

    private void setContainers(int containers) throws IOException {
        String yaml = Files.readString(stack.config);
        Files.writeString(stack.config, yaml.replaceFirst("(?m)^(  containers: )\\d+ ", "$1" + containers + " "));
    }

    private record Outcome(Stack.Result make, WrkLoad.Report load, WrkLoad.Report direct) {

        void assertNoError() {
            assertEquals(0, load.failures(), "errors through nginx: " + load);
            assertEquals(0, direct.failures(), "errors on app1's published port: " + direct);
        }
    }

    /**
     * Edits the config to {@code containers} and runs make up while {@link #CONNECTIONS} clients
     * GET through nginx and as many straight to app1's published port, until nginx has answered
     * from every container the stack has after it.
     */
    private Outcome underLoad(String label, int containers) throws IOException, InterruptedException {
        StackEnv env = env();
        WrkLoad.Report report;
        WrkLoad.Report directReport;
        Stack.Result result;
        long took;
        try (WrkLoad load = new WrkLoad(env.publishHost(), env.nginxPort(), "/", CONNECTIONS, Duration.ofSeconds(30),
                                        Duration.ofMinutes(4));
             WrkLoad direct = new WrkLoad(env.publishHost(), env.appPorts().getFirst(), "/", CONNECTIONS,
                                          Duration.ofSeconds(30), Duration.ofMinutes(4))) {
            Await.slowly("load through nginx and on app1's port is flowing", Duration.ofSeconds(20),
                         () -> load.requests() > 20 && direct.requests() > 20,
                         () -> load.requests() + " and " + direct.requests() + " requests");
            setContainers(containers);
            long started = System.nanoTime();
            result = stack.makeResult(label, "up");
            took = System.nanoTime() - started;
            Map<Integer, String> now = instances();
            long requestsAfter = load.requests();
            Await.slowly("nginx answers from every container " + now.values(), Duration.ofSeconds(30),
                         () -> load.instances().containsAll(now.values()) && load.requests() > requestsAfter + 20,
                         () -> load.instances().toString());
            report = load.stop();
            directReport = direct.stop();
        }
        record(label, result, report, directReport, took);
        return new Outcome(result, report, directReport);
    }

    private static void record(String label, Stack.Result make, WrkLoad.Report load, WrkLoad.Report direct, long nanos)
            throws IOException {
        String line = Instant.now() + " " + label + " exit=" + make.code() + " make-s=" + String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e9)
                      + (load == null ? "" : " connections=" + CONNECTIONS + " through-nginx " + load
                                             + " | straight-to-app1 " + direct);
        System.out.println(line);
        Files.createDirectories(Stack.LOGS);
        Files.writeString(Stack.LOGS.resolve("scale.txt"), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * After a scale: the project has app1 … appN, their holders and nginx and nothing else;
     * nginx answered from each of them; stack.env says N; compose.yaml, nginx's file and stack.env
     * are exactly what a fresh make up renders for N.
     */
    private void assertScaledStack(int containers, Outcome outcome) throws IOException, InterruptedException {
        StackEnv env = env();
        assertEquals(containers, env.containers(), "stack.env");
        Set<String> expected = new HashSet<>(Set.of(PROJECT + "-nginx"));
        for (int i = 1; i <= containers; i++) {
            expected.add(PROJECT + "-app" + i);
            expected.add(PROJECT + "-app" + i + "-net");
            assertEquals(5510 + i, env.appPorts().get(i - 1));
        }
        assertEquals(expected, containerIds().keySet(), "containers of " + PROJECT);
        assertTrue(outcome.load().instances().containsAll(instances().values()),
                   "nginx did not answer from every slot: " + outcome.load().instances() + " vs " + instances());
        Path fresh = Stack.ROOT.resolve("target/stack-scale-e2e-fresh");
        List<String> vars = new ArrayList<>(List.of("stack-render", "CONFIG=" + stack.config));
        MAKE_VARS.stream().filter(v -> !v.startsWith("STACK_DIR=")).forEach(vars::add);
        vars.add("STACK_DIR=" + Stack.ROOT.relativize(fresh));
        Stack.make(NAME + "-fresh-render", vars.toArray(String[]::new));
        for (String file : List.of("compose.yaml", "stack.env", "nginx/default.conf")) {
            String scaled = Files.readString(Stack.ROOT.resolve(STACK_DIR).resolve(file));
            String rendered = Files.readString(fresh.resolve(file))
                    .replace(fresh.toString(), Stack.ROOT.resolve(STACK_DIR).toString());
            assertEquals(rendered, scaled, file + " differs from a fresh make up's");
        }
        assertTrue(!Files.exists(Stack.ROOT.resolve(STACK_DIR).resolve("nginx/closing-connections")),
                   "the flag that makes nginx close every connection was left");
    }

    private StackEnv env() throws IOException {
        return StackEnv.read(Stack.ROOT.resolve(STACK_DIR).resolve("stack.env"));
    }

    /** Instance id of each container, asked on its published port (waits until each answers). */
    private Map<Integer, String> instances() throws IOException, InterruptedException {
        StackEnv env = env();
        Map<Integer, String> instances = new TreeMap<>();
        for (int i = 1; i <= env.containers(); i++) {
            int container = i;
            Await.slowly("container " + i + " answers on " + env.app(i), Duration.ofSeconds(30),
                         () -> Http.identify(env.app(container)).isPresent(), () -> "no answer");
            instances.put(i, Http.identify(env.app(i)).orElseThrow().instance());
        }
        return instances;
    }

    /** Name → id of every container of the project. */
    private static Map<String, String> containerIds() throws IOException, InterruptedException {
        Map<String, String> ids = new TreeMap<>();
        Stack.engine("ps", "-a", "--filter", "label=com.docker.compose.project=" + PROJECT, "--format", "{{.Names}} {{.ID}}")
                .output().lines().filter(l -> !l.isBlank()).map(l -> l.strip().split(" "))
                .forEach(f -> ids.put(f[0], f.length > 1 ? f[1] : ""));
        return ids;
    }

    /** compose.yaml, stack.env and nginx's file, one after the other. */
    private static String stackFiles() throws IOException {
        StringBuilder all = new StringBuilder();
        for (String file : List.of("compose.yaml", "stack.env", "nginx/default.conf")) {
            all.append(Files.readString(Stack.ROOT.resolve(STACK_DIR).resolve(file)));
        }
        return all.toString();
    }
}
