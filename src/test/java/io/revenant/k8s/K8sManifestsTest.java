package io.revenant.k8s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.revenant.config.ConfigException;
import io.revenant.stack.StackMain;
import io.revenant.stack.StackSettings;
import io.revenant.testing.NginxUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class K8sManifestsTest {

    static final Path CONFIG = Path.of("config/application.yaml");
    static final Path EXAMPLE = Path.of("container/k8s/example");

    @TempDir
    Path dir;

    private int render(Path config, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("render", "--config", config.toString(), "--out", out.toString(),
                                                    "--image", "revenant:0.1.0"));
        args.addAll(List.of(more));
        return K8sMain.run(args.toArray(String[]::new));
    }

    private Path config(String yaml) throws IOException {
        Path config = dir.resolve("config/application.yaml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, yaml);
        return config;
    }

    private static List<Path> yamlFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private JsonNode only(Path file) throws IOException {
        List<JsonNode> documents = K8sSchemas.documents(Files.readString(file));
        assertEquals(1, documents.size(), file.toString());
        return documents.getFirst();
    }

    @Test
    void everyRenderedManifestMatchesTheKubernetesSchemas() throws IOException {
        assertEquals(0, render(CONFIG, dir.resolve("k8s")));
        assertEquals(0, K8sMain.run(new String[] {"smoke", "--config", CONFIG.toString(), "--image", "revenant-k8s-test:0.1.0",
                                                  "--out", dir.resolve("k8s/smoke/smoke.yaml").toString()}));
        List<Path> files = yamlFiles(dir.resolve("k8s"));
        assertEquals(8, files.size(), files.toString());
        for (Path file : files) {
            assertEquals(List.of(), K8sSchemas.problems(Files.readString(file)), file.toString());
        }
    }

    @Test
    void theCommittedExampleMatchesTheKubernetesSchemasAndIsCurrent() throws IOException {
        assertEquals(0, render(CONFIG, dir.resolve("k8s")));
        List<Path> rendered = yamlFiles(dir.resolve("k8s"));
        List<Path> committed = yamlFiles(EXAMPLE);
        assertEquals(rendered.stream().map(f -> dir.resolve("k8s").relativize(f)).toList(),
                     committed.stream().map(EXAMPLE::relativize).toList());
        for (int i = 0; i < rendered.size(); i++) {
            assertEquals(Files.readString(rendered.get(i)), Files.readString(committed.get(i)),
                         committed.get(i) + " is not what config/application.yaml renders now: run make k8s-example");
            assertEquals(List.of(), K8sSchemas.problems(Files.readString(committed.get(i))), committed.get(i).toString());
        }
    }

    /** The validator must be able to say no: each broken variant of a valid Deployment is rejected. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            misspelt key         | terminationGracePeriodSeconds: 20 | terminationGracePeriodSecond: 20        | terminationGracePeriodSecond
            wrong type           | replicas: 2                       | replicas: two                           | replicas
            unknown enum value   | type: RollingUpdate               | type: Rolling                           | type
            probe key misplaced  | periodSeconds: 10                 | periodSecondz: 10                       | periodSecondz
            wrong apiVersion     | apiVersion: apps/v1               | apiVersion: apps/v1beta1                | no vendored schema
            """)
    void aBrokenDeploymentIsRejected(String what, String valid, String broken, String named) throws IOException {
        assertEquals(0, render(CONFIG, dir.resolve("k8s")));
        String deployment = Files.readString(dir.resolve("k8s/deployment.yaml"));
        assertEquals(List.of(), K8sSchemas.problems(deployment));
        assertTrue(deployment.contains(valid), "the rendered Deployment has no line \"" + valid + "\"");
        List<String> problems = K8sSchemas.problems(deployment.replaceFirst(java.util.regex.Pattern.quote(valid), broken));
        assertFalse(problems.isEmpty(), what + " was accepted");
        assertThat(String.join("\n", problems), containsString(named));
    }

    @Test
    void aContainerWithoutNameAndAServiceWithoutPortsAreRejected() {
        assertThat(String.join("\n", K8sSchemas.problems("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - image: revenant:0.1.0
                """)), containsString("name"));
        assertThat(K8sSchemas.problems("apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec:\n  ports:\n    - targetPort: 80\n"),
                   hasItem(containsString("port")));
    }

    @Test
    void theDeploymentFollowsTheConfig() throws IOException, ConfigException {
        Path config = config("""
                server:
                  port: 8080
                supervisor:
                  containers: 3
                  timeout-stop-sec: 30
                admin:
                  port: 9100
                """);
        assertEquals(0, render(config, dir.resolve("k8s"), "--cpu", "1500m"));
        JsonNode deployment = only(dir.resolve("k8s/deployment.yaml"));
        JsonNode spec = deployment.path("spec");
        assertEquals(3, spec.path("replicas").asInt(), "replicas default to supervisor.containers");
        assertEquals(0, spec.path("strategy").path("rollingUpdate").path("maxUnavailable").asInt());
        JsonNode pod = spec.path("template").path("spec");
        assertEquals(5 + 30 + 5, pod.path("terminationGracePeriodSeconds").asInt(), "preStop + timeout-stop-sec + exit");
        JsonNode container = pod.path("containers").get(0);
        assertEquals(8080, container.path("ports").get(0).path("containerPort").asInt());
        assertEquals("1500m", container.path("resources").path("limits").path("cpu").asText());
        assertEquals(container.path("resources").path("limits"), container.path("resources").path("requests"));
        assertEquals((128 + 2 * 320) + "Mi", container.path("resources").path("limits").path("memory").asText(),
                     "1500m CPU -> the JVM sees 2 CPUs -> 2 workers");
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            JsonNode command = container.path(probe).path("exec").path("command");
            assertEquals(List.of("/usr/local/bin/revenant-health", probe.equals("readinessProbe") ? "ready" : "alive",
                                 "9100", "127.0.0.1"),
                         List.of(command.get(0).asText(), command.get(1).asText(), command.get(2).asText(),
                                 command.get(3).asText()), probe);
        }
        assertEquals("/app/config", container.path("volumeMounts").get(0).path("mountPath").asText());
        assertFalse(container.path("volumeMounts").get(0).has("subPath"), "a subPath mount never sees ConfigMap updates");
        assertEquals(1, only(dir.resolve("k8s/poddisruptionbudget.yaml")).path("spec").path("maxUnavailable").asInt());
        assertEquals(8080, only(dir.resolve("k8s/service.yaml")).path("spec").path("ports").get(0).path("port").asInt());

        String podConfig = only(dir.resolve("k8s/configmap.yaml")).path("data").path("application.yaml").asText();
        assertEquals(1, K8sMain.validate(podConfig, "pod").supervisor().containers());
        assertEquals(8080, K8sMain.validate(podConfig, "pod").server().port());
        String nginx = only(dir.resolve("k8s/nginx/configmap.yaml")).path("data").path("default.conf").asText();
        assertEquals(java.util.Collections.nCopies(3 * StackSettings.LINES_PER_CONTAINER, "server revenant:8080"),
                     NginxUpstream.servers(nginx, NginxUpstream.MAIN).stream()
                             .map(line -> line.replaceAll("^(server \\S+) .*$", "$1")).toList(),
                     "two server lines per replica");
        assertThat(nginx, containsString("proxy_next_upstream_tries 3;"));
    }

    @ParameterizedTest(name = "{0} replica(s) -> {1} tries")
    @CsvSource({"1, 2", "2, 3", "4, 3"})
    void nginxListsTheServiceTwicePerReplicaAndTriesAtMostThreeTimes(int replicas, int tries) throws IOException {
        assertEquals(0, render(CONFIG, dir.resolve("k8s"), "--replicas", Integer.toString(replicas)));
        String nginx = only(dir.resolve("k8s/nginx/configmap.yaml")).path("data").path("default.conf").asText();
        List<String> servers = NginxUpstream.servers(nginx, NginxUpstream.MAIN);
        assertEquals(replicas * StackSettings.LINES_PER_CONTAINER, servers.size(), servers.toString());
        assertTrue(servers.stream().allMatch(line -> line.startsWith("server revenant:3000 ") && line.contains(" max_fails=0 ")),
                   servers.toString());
        assertEquals(List.of("proxy_next_upstream_tries " + tries + ";"),
                     nginx.lines().map(String::strip).filter(line -> line.startsWith("proxy_next_upstream_tries")).toList());
    }

    /** The supervisor owns the listening socket: no pod needs a sysctl (safe or "unsafe") or a privilege. */
    @Test
    void noManifestSetsASysctl() throws IOException {
        assertEquals(0, render(CONFIG, dir.resolve("k8s")));
        assertEquals(0, K8sMain.run(new String[] {"smoke", "--config", CONFIG.toString(), "--image", "revenant-k8s-test:0.1.0",
                                                  "--out", dir.resolve("k8s/smoke/smoke.yaml").toString()}));
        List<Path> files = new ArrayList<>(yamlFiles(dir.resolve("k8s")));
        files.addAll(yamlFiles(EXAMPLE));
        assertEquals(8 + 7, files.size(), files.toString());
        for (Path file : files) {
            String text = Files.readString(file);
            for (String absent : List.of("sysctls:", "net.ipv4.", "allowed-unsafe", "privileged: true")) {
                assertFalse(text.contains(absent), file + " contains " + absent);
            }
            for (JsonNode document : K8sSchemas.documents(text)) {
                JsonNode pod = document.path("spec").path("template").path("spec");
                assertTrue(pod.path("securityContext").path("sysctls").isMissingNode(), file.toString());
                boolean app = document.path("kind").asText().equals("Deployment")
                        && !document.path("metadata").path("name").asText().endsWith("-nginx");
                if (app) {
                    assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), file.toString());
                }
            }
        }
    }

    @Test
    void theSmokeVariantPublishesAHostPortOnLoopback() throws IOException {
        Path out = dir.resolve("smoke.yaml");
        assertEquals(0, K8sMain.run(new String[] {"smoke", "--config", CONFIG.toString(), "--image", "revenant-k8s-test:0.1.0",
                                                  "--out", out.toString(), "--host-port", "6003"}));
        List<JsonNode> documents = K8sSchemas.documents(Files.readString(out));
        assertEquals(List.of("ConfigMap", "Deployment"), documents.stream().map(d -> d.path("kind").asText()).toList());
        JsonNode deployment = documents.get(1);
        assertEquals("revenant-k8s-smoke", deployment.path("metadata").path("name").asText());
        assertEquals(1, deployment.path("spec").path("replicas").asInt());
        JsonNode port = deployment.path("spec").path("template").path("spec").path("containers").get(0).path("ports").get(0);
        assertEquals(6003, port.path("hostPort").asInt());
        assertEquals("127.0.0.1", port.path("hostIP").asText());
    }

    @ParameterizedTest(name = "cpu {0}, workers {1} -> {2} worker(s)")
    @CsvSource(textBlock = """
            100,  auto, 1
            500,  auto, 1
            1000, auto, 1
            1500, auto, 2
            2000, auto, 2
            4000, auto, 4
            1000, 3,    3
            """)
    void workersFollowTheCpuLimitUnlessExplicit(int cpuMillis, String workers, int expected) {
        OptionalInt explicit = workers.equals("auto") ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(workers));
        assertEquals(expected, K8sSettings.workers(explicit, cpuMillis));
    }

    @ParameterizedTest(name = "--{0} {1}")
    @CsvSource(textBlock = """
            cpu,      2x
            cpu,      50m
            memory,   512MB
            memory,   100Mi
            replicas, 0
            replicas, many
            name,     Revenant_App
            """)
    void badClusterOptionsExit78AndRenderNothing(String option, String value) {
        assertEquals(StackMain.CONFIG, render(CONFIG, dir.resolve("k8s"), "--" + option, value));
        assertFalse(Files.exists(dir.resolve("k8s")));
    }

    @Test
    void withoutAFixedAdminPortThereIsNothingToProbe() throws IOException {
        assertEquals(StackMain.CONFIG, render(config("admin:\n  enabled: false\n"), dir.resolve("k8s")));
        assertEquals(StackMain.CONFIG, render(config("admin:\n  port: 0\n"), dir.resolve("k8s")));
        assertFalse(Files.exists(dir.resolve("k8s")));
    }

    @Test
    void anInvalidConfigExits78AndRendersNothing() throws IOException {
        assertEquals(StackMain.CONFIG, render(config("supervisor:\n  containers: 0\n"), dir.resolve("k8s")));
        assertFalse(Files.exists(dir.resolve("k8s")));
    }

    @Test
    void missingOptionsAreUsageErrors() {
        assertEquals(StackMain.USAGE, K8sMain.run(new String[] {"render", "--config", CONFIG.toString()}));
        assertEquals(StackMain.USAGE, K8sMain.run(new String[] {"apply"}));
        assertEquals(StackMain.USAGE, K8sMain.run(new String[] {}));
    }

    @Test
    void blockKeepsEveryLineIndented() {
        assertEquals("    a: 1\n\n    b:\n      c: 2\n", K8sManifests.block("a: 1\n\nb:\n  c: 2", "    "));
        assertEquals("\"a \\\"b\\\" \\\\r\"", K8sManifests.quote("a \"b\" \\r"));
    }
}
