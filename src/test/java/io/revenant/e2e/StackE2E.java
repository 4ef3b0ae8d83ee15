package io.revenant.e2e;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.revenant.stack.WorkerReply;
import io.revenant.testing.Await;
import io.revenant.testing.Http;
import io.revenant.testing.KeepAliveLoad;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stack exactly as {@code make up} starts it from config/application.yaml: two app
 * containers (one worker and one hot spare each on a 2-CPU host) behind nginx on 127.0.0.1:3333,
 * with no sysctl anywhere (host, compose file, containers: {@link NoSysctl}).
 */
@ExtendWith(NoSysctl.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class StackE2E {

    private static final String NAME = "default";
    private Stack stack;

    @BeforeAll
    void up() throws IOException, InterruptedException {
        stack = Stack.up(NAME);
    }

    @AfterAll
    void down() throws IOException, InterruptedException {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void hundredRequestsThroughNginxSeeEveryContainer() throws IOException, InterruptedException {
        Map<String, Integer> containerOf = instancesByContainer();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Http.Response answer = Http.get(stack.env.nginx());
            assertEquals(200, answer.status(), "request " + i + " through nginx: " + answer.body());
            answer.worker().map(WorkerReply::instance).ifPresent(seen::add);
        }
        assertEquals(containerOf.keySet(), seen, "instance ids seen through nginx vs. those of the containers "
                                                 + containerOf);
    }

    @Test
    @Order(2)
    void killThroughNginxIsFollowedByAnswersAndTheWorkerComesBack() throws IOException, InterruptedException {
        Map<String, Integer> containerOf = instancesByContainer();
        Http.Response kill = Http.post(stack.env.nginx().resolve("/chaos/kill"));
        assertEquals(202, kill.status(), "POST /chaos/kill through nginx: " + kill.body());
        WorkerReply killed = kill.worker().orElseThrow(() -> new AssertionError("no identity in " + kill.body()));
        Integer container = containerOf.get(killed.instance());
        assertTrue(container != null, "the killed worker's instance " + killed.instance() + " is none of " + containerOf);

        for (int i = 0; i < 50; i++) {
            Http.Response answer = Http.get(stack.env.nginx());
            assertEquals(200, answer.status(), "request " + i + " after the kill: " + answer.body());
        }
        // the same supervisor (same instance id: the container was not restarted) runs a new worker
        Optional<WorkerReply>[] last = new Optional[] {Optional.empty()};
        Await.slowly("container " + container + " answers from a worker newer than the killed " + killed.worker(),
                    Duration.ofSeconds(30), () -> {
                        last[0] = Http.identify(stack.env.app(container));
                        return last[0].filter(reply -> reply.instance().equals(killed.instance())
                                                       && reply.worker() > killed.worker()).isPresent();
                    }, () -> String.valueOf(last[0]));
    }

    @Test
    @Tag("chaos")
    @Order(3)
    @Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
    void chaosWithOneWorkerPerContainerFailsAtMostOnePercentAllAs502() throws IOException, InterruptedException {
        stack.assertOneNginxLinePerContainer();
        Chaos.assertOnlyRare502s(Chaos.run(stack, "workers-per-container=1"));
        awaitEveryContainerAnswers();
    }

    @Test
    @Tag("chaos")
    @Order(4)
    @Timeout(value = 2, unit = java.util.concurrent.TimeUnit.MINUTES)
    void directChaosOnFreshConnectionsWithOneWorkerAndASpareRefusesNoConnection() throws IOException, InterruptedException {
        awaitEveryContainerAnswers();
        DirectChaos.Outcome outcome = DirectChaos.run(stack.env.app(1), "workers-per-container=1 spare=1");
        DirectChaos.assertHeld(outcome);
        awaitEveryContainerAnswers();
    }

    @Test
    @Order(5)
    @Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
    void wholeContainerCrashUnderLoadFailsNoRequestAndTheContainerRejoins() throws IOException, InterruptedException {
        awaitEveryContainerAnswers();
        String victim = stack.env.appContainers().get(0);
        String before = Http.identify(stack.env.app(1)).orElseThrow().instance();
        int restarts = Stack.restartCount(victim);
        long pid = Stack.mainPid(victim);
        assertTrue(pid > 0, victim + " is not running");

        KeepAliveLoad.Report report;
        try (KeepAliveLoad load = new KeepAliveLoad(stack.env.nginx(), Chaos.CONNECTIONS, Duration.ofSeconds(90),
                KeepAliveLoad.Unanswered.RETRY_ONCE)) {
            Await.slowly("load through nginx is flowing", Duration.ofSeconds(10), () -> load.requests() > 100,
                        () -> load.requests() + " requests");
            // SIGKILL of the container's PID 1 from the host: a crash as the engine sees it (OOM kill,
            // segfault). `podman kill` / `docker kill` count as a deliberate stop, which restart
            // policies respect by not restarting.
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false),
                       "could not SIGKILL pid " + pid + " of " + victim);
            String[] now = {before};
            Await.slowly(victim + " restarted by its restart policy and answers with a new instance id",
                        Duration.ofSeconds(60), () -> {
                            now[0] = Http.identify(stack.env.app(1)).map(WorkerReply::instance).orElse("none");
                            return !now[0].equals(before) && !now[0].equals("none");
                        }, () -> now[0]);
            Await.slowly("nginx answers from the restarted " + victim + " (rejoined)", Duration.ofSeconds(30),
                        () -> load.instances().contains(now[0]), () -> load.instances().toString());
            report = load.stop();
        }
        System.out.println("container-crash " + victim + " " + report);
        assertTrue(Stack.restartCount(victim) > restarts, victim + " restart count did not grow");
        assertEquals(0, report.failures(), "failed requests while " + victim + " crashed: " + report);
    }

    @Test
    @Order(6)
    void downLeavesNoContainerNetworkOrListeningPort() throws IOException, InterruptedException {
        List<Integer> ports = new ArrayList<>(stack.env.appPorts());
        ports.add(stack.env.nginxPort());
        String project = stack.env.project();
        stack.saveLogs();
        Stack.down(NAME);
        stack = null;
        List<String> left = Stack.leftovers(project);
        assertTrue(left.isEmpty(), "left after make down: " + left);
        for (int port : ports) {
            assertFalse(Stack.listening("127.0.0.1", port), "something still listens on 127.0.0.1:" + port);
        }
    }

    /** Instance id of each container, asked on its published port. */
    private Map<String, Integer> instancesByContainer() throws InterruptedException {
        awaitEveryContainerAnswers();
        Map<String, Integer> containerOf = new HashMap<>();
        for (int i = 1; i <= stack.env.containers(); i++) {
            containerOf.put(Http.identify(stack.env.app(i)).orElseThrow().instance(), i);
        }
        return containerOf;
    }

    private void awaitEveryContainerAnswers() throws InterruptedException {
        for (int i = 1; i <= stack.env.containers(); i++) {
            int container = i;
            Await.slowly("container " + i + " answers on " + stack.env.app(i), Duration.ofSeconds(60),
                        () -> Http.identify(stack.env.app(container)).isPresent(), () -> "no answer");
        }
    }
}
