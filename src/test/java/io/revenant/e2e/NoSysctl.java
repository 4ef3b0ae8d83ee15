package io.revenant.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What issue 10 makes unnecessary must stay gone: no test may pass thanks to
 * {@code net.ipv4.tcp_migrate_req}. The host's value is checked before every test (this is a
 * JUnit extension), and every container a test runs is checked to run with no sysctl of the
 * project's: none in the file that started it, none in the runtime spec the engine applied, and
 * {@code tcp_migrate_req} reads 0 inside its network namespace.
 */
final class NoSysctl implements BeforeEachCallback {

    static final Path HOST_MIGRATE_REQ = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");
    private static final String IN_CONTAINER = "read v < /proc/sys/net/ipv4/tcp_migrate_req && echo \"$v\"";
    /**
     * Sysctls the engine itself sets in every container (Podman's containers.conf
     * {@code default_sysctls}), not the project: they are not counted.
     */
    private static final java.util.Set<String> ENGINE_DEFAULTS = java.util.Set.of("net.ipv4.ping_group_range");

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        assertHostMigrateReqOff();
    }

    /** The host's {@code net.ipv4.tcp_migrate_req} is 0 (or the kernel has none, which is the same). */
    static void assertHostMigrateReqOff() throws IOException {
        if (Files.exists(HOST_MIGRATE_REQ)) {
            assertEquals("0", Files.readString(HOST_MIGRATE_REQ).strip(),
                         HOST_MIGRATE_REQ + " of the host must be 0: the tests prove that no connection depends on it");
        }
    }

    /**
     * A file that starts containers (compose file, Kubernetes manifests, one or more YAML
     * documents) sets no sysctl: no {@code sysctls} key anywhere, no value naming
     * {@code tcp_migrate_req}. Comments do not count.
     */
    static void assertFileSetsNone(Path file) throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        try (MappingIterator<JsonNode> documents = yaml.readValues(new YAMLFactory().createParser(file.toFile()),
                                                                   JsonNode.class)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                String found = sysctlIn(document, "");
                assertTrue(found == null, file + " sets a sysctl at " + found);
            }
        }
    }

    /** Path of the first sysctl setting in a YAML tree, null when there is none. */
    private static String sysctlIn(JsonNode node, String at) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getKey().toLowerCase(java.util.Locale.ROOT).contains("sysctl")) {
                    return at + "/" + field.getKey() + ": " + field.getValue();
                }
                String inner = sysctlIn(field.getValue(), at + "/" + field.getKey());
                if (inner != null) {
                    return inner;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String inner = sysctlIn(node.get(i), at + "/" + i);
                if (inner != null) {
                    return inner;
                }
            }
        } else if (node.asText().contains("tcp_migrate_req")) {
            return at + ": " + node.asText();
        }
        return null;
    }

    /** A running container has no sysctl of the project's, and tcp_migrate_req is 0 inside it. */
    static void assertContainerHasNone(String container) throws IOException, InterruptedException {
        Map<String, String> sysctls = runtimeSysctls(container);
        sysctls.keySet().removeAll(ENGINE_DEFAULTS);
        assertTrue(sysctls.isEmpty(), container + " runs with sysctls " + sysctls);
        Stack.Result inside = Stack.engine("exec", container, "bash", "-c", IN_CONTAINER);
        assertEquals(0, inside.code(), "cannot read tcp_migrate_req in " + container + ": " + inside.output());
        assertEquals("0", inside.output().strip(), "net.ipv4.tcp_migrate_req inside " + container);
    }

    /**
     * The sysctls the engine applied: Podman's OCI runtime spec ({@code linux.sysctl} of
     * {@code OCIConfigPath}; Podman 4's inspect has no such field), Docker's
     * {@code HostConfig.Sysctls}.
     */
    private static Map<String, String> runtimeSysctls(String container) throws IOException, InterruptedException {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> sysctls = new TreeMap<>();
        Stack.Result path = Stack.engine("inspect", "--format", "{{.OCIConfigPath}}", container);
        JsonNode node;
        if (path.code() == 0 && !path.output().isBlank() && Files.exists(Path.of(path.output().strip()))) {
            node = json.readTree(Path.of(path.output().strip()).toFile()).path("linux").path("sysctl");
        } else {
            Stack.Result docker = Stack.engine("inspect", "--format", "{{json .HostConfig.Sysctls}}", container);
            assertEquals(0, docker.code(), "cannot inspect the sysctls of " + container + ": " + path.output()
                                           + docker.output());
            node = json.readTree(docker.output());
        }
        node.fields().forEachRemaining(e -> sysctls.put(e.getKey(), e.getValue().asText()));
        return sysctls;
    }
}
