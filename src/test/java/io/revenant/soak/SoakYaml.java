package io.revenant.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak's config: the user's {@code application.yaml} with only what the soak needs changed
 * (its own loopback ports, admin on, the kill endpoint on without a token), so that the soak
 * measures the configuration that is shipped, comments and all.
 */
final class SoakYaml {

    private static final Pattern SECTION = Pattern.compile("^([A-Za-z][\\w-]*):\\s*(#.*)?$");
    private static final Pattern FLOW_SECTION = Pattern.compile("^([A-Za-z][\\w-]*):\\s*[^#\\s].*$");
    private static final Pattern KEY = Pattern.compile("^(\\s+)([A-Za-z][\\w-]*):(\\s*)([^#]*?)(\\s+#.*)?$");

    private final List<String> lines;

    private SoakYaml(String yaml) {
        this.lines = new ArrayList<>(yaml.lines().toList());
    }

    /**
     * {@code yaml} with server and admin on 127.0.0.1 at {@code port} and {@code adminPort},
     * {@code chaos.kill-endpoint: true} and no {@code chaos.token} (the kill loop sends none), and
     * {@code supervisor.workers} set when {@code workers} is not blank.
     *
     * @throws IllegalArgumentException when a section is written in flow style ({@code server: {…}}),
     *                                  which this line-wise edit does not rewrite
     */
    static String rewrite(String yaml, int port, int adminPort, String workers) {
        SoakYaml edit = new SoakYaml(yaml);
        edit.set("server", "host", "127.0.0.1");
        edit.set("server", "port", Integer.toString(port));
        edit.set("admin", "enabled", "true");
        edit.set("admin", "host", "127.0.0.1");
        edit.set("admin", "port", Integer.toString(adminPort));
        edit.set("chaos", "kill-endpoint", "true");
        edit.remove("chaos", "token");
        if (workers != null && !workers.isBlank()) {
            edit.set("supervisor", "workers", workers.trim());
        }
        return String.join("\n", edit.lines) + "\n";
    }

    /** Index of the line that opens {@code section}, -1 if there is none. */
    private int section(String section) {
        for (int i = 0; i < lines.size(); i++) {
            Matcher flow = FLOW_SECTION.matcher(lines.get(i));
            if (flow.matches() && flow.group(1).equals(section) && !SECTION.matcher(lines.get(i)).matches()) {
                throw new IllegalArgumentException("section " + section + " is in flow style ('" + lines.get(i)
                                                   + "'); the soak rewrites block-style sections only");
            }
            Matcher m = SECTION.matcher(lines.get(i));
            if (m.matches() && m.group(1).equals(section)) {
                return i;
            }
        }
        return -1;
    }

    /** Index of {@code key} directly inside the section opened at {@code start} (not nested deeper), -1 if absent. */
    private int key(int start, String key) {
        String indent = null;
        for (int i = start + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (SECTION.matcher(line).matches() || FLOW_SECTION.matcher(line).matches()) {
                return -1;
            }
            Matcher m = KEY.matcher(line);
            if (!m.matches()) {
                continue;
            }
            indent = indent == null ? m.group(1) : indent;
            if (m.group(1).equals(indent) && m.group(2).equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private void set(String section, String key, String value) {
        int start = section(section);
        if (start < 0) {
            lines.add(section + ":");
            lines.add("  " + key + ": " + value + "   # set by the soak");
            return;
        }
        int at = key(start, key);
        if (at < 0) {
            lines.add(start + 1, "  " + key + ": " + value + "   # set by the soak");
            return;
        }
        Matcher m = KEY.matcher(lines.get(at));
        if (!m.matches()) {
            throw new IllegalStateException("unreachable: " + lines.get(at));
        }
        lines.set(at, m.group(1) + key + ": " + value + (m.group(5) == null ? "" : m.group(5)));
    }

    private void remove(String section, String key) {
        int start = section(section);
        int at = start < 0 ? -1 : key(start, key);
        if (at >= 0) {
            lines.remove(at);
        }
    }
}
