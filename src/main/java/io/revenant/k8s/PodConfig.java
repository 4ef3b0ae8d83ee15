package io.revenant.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code application.yaml} a pod runs: the user's file, comments and all, with one key changed,
 * {@code supervisor.containers: 1}. On one host several supervisors share the CPUs and divide them;
 * in a pod the supervisor is alone with its CPU limit, which {@code workers: auto} then follows
 * (the JVM sees the cgroup quota). Left at 2, a pod whose CPU limit is the node's whole CPU count
 * (the JVM then sees the host's CPUs) would run half the workers it pays for.
 *
 * <p>A line edit rather than a YAML round trip, so that the ConfigMap a user reads is their file.
 */
public final class PodConfig {

    /** What the rewritten line says about itself. */
    static final String NOTE = "# one supervisor per pod (rendered for Kubernetes); workers follow the pod's CPU limit";

    private static final Pattern SUPERVISOR = Pattern.compile("^supervisor:\\s*(#.*)?$");
    private static final Pattern INLINE_SUPERVISOR = Pattern.compile("^supervisor:\\s*[^#\\s].*$");
    private static final Pattern CONTAINERS = Pattern.compile("^(\\s+)containers:.*$");
    private static final Pattern KEY = Pattern.compile("^(\\s+)[A-Za-z0-9_-]+:.*$");

    private PodConfig() {
    }

    /**
     * @param yaml the whole file
     * @return the same file with {@code supervisor.containers: 1}, added if absent
     * @throws IllegalArgumentException when {@code supervisor} is written in flow style on one line
     */
    public static String inPod(String yaml) {
        List<String> lines = new ArrayList<>(yaml.lines().toList());
        int supervisor = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (INLINE_SUPERVISOR.matcher(lines.get(i)).matches()) {
                throw new IllegalArgumentException("supervisor: write it as a block (one key per line), not inline,"
                        + " so that containers can be set to 1 for Kubernetes");
            }
            if (SUPERVISOR.matcher(lines.get(i)).matches()) {
                supervisor = i;
                break;
            }
        }
        if (supervisor < 0) {
            lines.add("");
            lines.add("supervisor:");
            lines.add("  containers: 1          " + NOTE);
            return String.join("\n", lines) + "\n";
        }
        for (int i = supervisor + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                break; // the next top-level key: the block ended without containers
            }
            Matcher containers = CONTAINERS.matcher(line);
            if (containers.matches()) {
                lines.set(i, containers.group(1) + "containers: 1          " + NOTE);
                return String.join("\n", lines) + "\n";
            }
        }
        lines.add(supervisor + 1, blockIndent(lines, supervisor) + "containers: 1          " + NOTE);
        return String.join("\n", lines) + "\n";
    }

    /** The indentation of the block's first key, two spaces when the block is empty. */
    private static String blockIndent(List<String> lines, int supervisor) {
        for (int i = supervisor + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            Matcher key = KEY.matcher(line);
            return key.matches() ? key.group(1) : "  ";
        }
        return "  ";
    }
}
