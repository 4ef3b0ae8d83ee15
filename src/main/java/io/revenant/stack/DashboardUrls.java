package io.revenant.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.revenant.config.AdminConfig;

/**
 * What {@code make dashboard} prints: the dashboard of {@code make run} (the config's admin
 * listener) and, when a stack was rendered, each container's (its admin port published on the
 * host's loopback, {@code ADMIN_PORTS} in stack.env).
 */
final class DashboardUrls {

    private DashboardUrls() {
    }

    /**
     * @param admin    {@code admin.*} of the config
     * @param source   the config file, as the user named it
     * @param stackEnv stack.env's values, or null when no stack was rendered
     */
    static List<String> lines(AdminConfig admin, String source, Properties stackEnv) {
        List<String> lines = new ArrayList<>();
        if (!admin.enabled() || admin.port() == 0) {
            lines.add("make run: no dashboard: " + source + " sets " + (admin.enabled() ? "admin.port: 0 (any free port)"
                    : "admin.enabled: false"));
        } else {
            lines.add("make run (" + source + "): " + url(browsable(admin.host()), admin.port()));
        }
        if (stackEnv == null) {
            lines.add("stack: none rendered (make up)");
            return lines;
        }
        String project = stackEnv.getProperty("PROJECT", "?");
        List<StackEnv.AdminPort> published = StackEnv.adminPorts(stackEnv);
        if (published.isEmpty()) {
            lines.add("stack " + project + ": no admin port published (admin off, or rendered before ports were; make up)");
            return lines;
        }
        for (StackEnv.AdminPort port : published) {
            lines.add("stack " + project + ": " + port.container() + " " + url("127.0.0.1", port.port()));
        }
        return lines;
    }

    /** A wildcard address is reached on loopback. */
    private static String browsable(String host) {
        return switch (host) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "[::]" -> "[::1]";
            default -> host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        };
    }

    private static String url(String host, int port) {
        return "http://" + host + ":" + port + "/";
    }
}
