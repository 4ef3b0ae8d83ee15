package io.revenant.stack;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * A running stack as {@code make up} rendered it ({@code target/stack/stack.env}): what the
 * readiness wait and the end-to-end tests talk to.
 *
 * @param project        compose project name
 * @param appContainers  container names, index 0 = app1
 * @param nginxContainer nginx's container name
 * @param publishHost    host address of the published ports
 * @param appPorts       published port of each app container, index 0 = app1
 * @param nginxPort      published port of nginx
 * @param sticky         nginx pins a client to one container (ip_hash / hash)
 */
public record StackEnv(String project, List<String> appContainers, String nginxContainer, String publishHost,
                       List<Integer> appPorts, int nginxPort, boolean sticky) {

    public static StackEnv read(Path file) throws IOException {
        Properties values = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            values.load(in);
        }
        return new StackEnv(required(values, "PROJECT"),
                List.of(required(values, "APP_CONTAINERS").split(",")),
                required(values, "NGINX_CONTAINER"),
                required(values, "PUBLISH_HOST"),
                Arrays.stream(required(values, "APP_PORTS").split(",")).map(Integer::valueOf).toList(),
                Integer.parseInt(required(values, "NGINX_PORT")),
                Boolean.parseBoolean(values.getProperty("STICKY", "false")));
    }

    public URI nginx() {
        return URI.create("http://" + publishHost + ":" + nginxPort + "/");
    }

    /** Published URI of app container {@code i}, 1-based. */
    public URI app(int i) {
        return URI.create("http://" + publishHost + ":" + appPorts.get(i - 1) + "/");
    }

    public int containers() {
        return appContainers.size();
    }

    /** An app container and its admin port, published on the host's loopback only. */
    public record AdminPort(String container, int port) {
    }

    /**
     * Each app container's published admin port ({@code ADMIN_PORTS} beside {@code APP_CONTAINERS}),
     * or empty when they are not published (admin off, or a stack rendered before they were).
     */
    public static List<AdminPort> adminPorts(Properties values) {
        String[] containers = values.getProperty("APP_CONTAINERS", "").strip().split(",");
        String[] ports = values.getProperty("ADMIN_PORTS", "").strip().split(",", -1);
        if (ports.length != containers.length || Arrays.stream(ports).anyMatch(String::isBlank)) {
            return List.of();
        }
        List<AdminPort> published = new ArrayList<>();
        for (int i = 0; i < ports.length; i++) {
            published.add(new AdminPort(containers[i].strip(), Integer.parseInt(ports[i].strip())));
        }
        return List.copyOf(published);
    }

    private static String required(Properties values, String key) {
        String value = values.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is missing");
        }
        return value.trim();
    }
}
