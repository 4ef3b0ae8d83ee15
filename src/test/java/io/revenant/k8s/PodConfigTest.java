package io.revenant.k8s;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.revenant.config.ConfigException;
import io.revenant.config.RevenantConfig;
import io.revenant.stack.ProbeScript;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PodConfigTest {

    private static RevenantConfig inPod(String yaml) throws ConfigException {
        return K8sMain.validate(PodConfig.inPod(yaml), "test");
    }

    @Test
    void theShippedConfigKeepsEverythingButContainers() throws IOException, ConfigException {
        String shipped = Files.readString(K8sManifestsTest.CONFIG);
        String pod = PodConfig.inPod(shipped);
        assertEquals(1, K8sMain.validate(pod, "pod").supervisor().containers());
        assertEquals(shipped.lines().count(), pod.lines().count(), "one line changed, none added");
        assertEquals(1, shipped.lines().filter(line -> !pod.contains(line)).count(), "only the containers line differs");
        assertThat(pod, containsString("# Revenant: the one file"));
    }

    @Test
    void containersIsSetWhereverItIsInTheBlock() throws ConfigException {
        assertEquals(1, inPod("supervisor:\n  workers: 2\n  containers: 4   # four\nadmin:\n  port: 9001\n").supervisor().containers());
        assertEquals(9001, inPod("supervisor:\n    containers: 4\nadmin:\n  port: 9001\n").admin().port());
    }

    @Test
    void containersIsAddedWhenAbsent() throws ConfigException {
        String pod = PodConfig.inPod("supervisor:   # comment\n    # a comment\n    workers: 2\nadmin:\n  port: 9001\n");
        assertThat(pod, containsString("supervisor:   # comment\n    containers: 1 "));
        RevenantConfig config = K8sMain.validate(pod, "t");
        assertEquals(1, config.supervisor().containers());
        assertEquals(2, config.supervisor().workers().getAsInt());
        assertEquals(1, inPod("server:\n  port: 3000\n").supervisor().containers());
        assertEquals(1, inPod("supervisor:\nserver:\n  port: 3000\n").supervisor().containers());
        assertEquals(1, inPod("").supervisor().containers());
    }

    @Test
    void anInlineSupervisorBlockIsRefusedWithAReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                                  () -> PodConfig.inPod("supervisor: {containers: 2}\n"));
        assertThat(e.getMessage(), containsString("block"));
    }

    /**
     * The probe commands against a real HTTP listener: readiness wants 200, liveness (and startup)
     * any answer, and neither passes when nothing listens. Runs the image's script as the kubelet would.
     */
    @Test
    void probeCommandsAskTheAdminListener() throws Exception {
        AtomicInteger status = new AtomicInteger(503);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/health", exchange -> {
            byte[] body = "{}".getBytes();
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        int port = server.getAddress().getPort();
        RevenantConfig config = inPod("admin:\n  port: " + port + "\n");
        K8sSettings k8s = K8sSettings.of(config, null, new K8sSettings.ClusterOptions(
                "revenant", "revenant:0.1.0", "auto", "1", "auto", 0, "nginx:1.27"));
        List<String> readiness = K8sManifests.readinessCommand(k8s);
        List<String> liveness = K8sManifests.livenessCommand(k8s);
        try {
            assertEquals(1, ProbeScript.code(readiness), "readiness with 503");
            assertEquals(0, ProbeScript.code(liveness), "liveness with 503: the supervisor answers");
            status.set(200);
            assertEquals(0, ProbeScript.code(readiness), "readiness with 200");
            assertEquals(0, ProbeScript.code(liveness), "liveness with 200");
        } finally {
            server.stop(0);
        }
        assertNotEquals(0, ProbeScript.code(liveness), "liveness with nothing listening");
        assertNotEquals(0, ProbeScript.code(readiness), "readiness with nothing listening");
    }
}
