package io.revenant.status;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.revenant.config.AdminConfig;
import io.revenant.stack.StackEnv;

/**
 * One supervisor's admin listener to ask, and the name it goes by in the table.
 *
 * @param label what the table calls it: a container name, or {@code host:port}
 */
record StatusTarget(String label, String host, int port) {

    /** The key of {@code stack.env} listing the app containers' admin ports published on the host, in container order. */
    static final String ADMIN_PORTS = "ADMIN_PORTS";

    URI status() {
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/status");
    }

    /**
     * {@code HOST:PORT} of {@code --admin}.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    static StatusTarget ofAddress(String address) {
        int colon = address.lastIndexOf(':');
        String host = colon > 0 ? address.substring(0, colon).replaceAll("^\\[|]$", "") : "";
        String port = colon > 0 ? address.substring(colon + 1) : "";
        if (host.isEmpty() || !port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("--admin takes HOST:PORT (port 1-65535), e.g. 127.0.0.1:9000; got " + address);
        }
        return new StatusTarget(address, host, Integer.parseInt(port));
    }

    /**
     * The admin listener of a config file.
     *
     * @throws IllegalArgumentException when the config turns it off
     */
    static StatusTarget ofConfig(Path source, AdminConfig admin) {
        if (!admin.enabled()) {
            throw new IllegalArgumentException(source + ": admin.enabled is false: the supervisor has no admin listener to ask");
        }
        String host = admin.host().equals("0.0.0.0") ? "127.0.0.1" : admin.host().equals("::") ? "::1" : admin.host();
        return new StatusTarget(host + ":" + admin.port(), host, admin.port());
    }

    /**
     * Every app container of a running stack, from {@code make up}'s {@code stack.env}.
     *
     * @throws IllegalArgumentException when the stack's admin ports are not published
     */
    static List<StatusTarget> ofStack(Path stackEnv) throws IOException {
        Properties values = new Properties();
        try (Reader in = Files.newBufferedReader(stackEnv, StandardCharsets.UTF_8)) {
            values.load(in);
        }
        List<StackEnv.AdminPort> published = StackEnv.adminPorts(values);
        if (published.isEmpty()) {
            throw new IllegalArgumentException(stackEnv + ": the stack's admin ports are not published on the host ("
                    + ADMIN_PORTS + " is empty: admin.enabled is false, or the stack was rendered before they were;"
                    + " make up renders it again); ask one supervisor with --admin HOST:PORT");
        }
        // published on the host's loopback only, whatever the app ports' publish host
        List<StatusTarget> targets = new ArrayList<>();
        for (StackEnv.AdminPort admin : published) {
            String label = admin.container().isBlank() ? "127.0.0.1:" + admin.port() : admin.container();
            targets.add(new StatusTarget(label, "127.0.0.1", admin.port()));
        }
        return targets;
    }
}
