package io.revenant.stack;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders {@code nginx/revenant.conf.template}: every line that contains {@code {{app}}} is
 * repeated once for every app container; the other placeholders are single values derived from
 * the config. The knobs themselves (balancing, weights, failure accounting, keepalive) stay in the
 * template, in nginx's own syntax, where an nginx user looks for them.
 */
public final class NginxConf {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");
    private static final Pattern STICKY = Pattern.compile("(?m)^\\s*(ip_hash|hash\\s)");

    private NginxConf() {
    }

    /**
     * @throws IllegalArgumentException naming the line of an unknown placeholder
     */
    public static String render(StackSettings stack, String template) {
        return render(stack, IntStream.rangeClosed(1, stack.containers())
                .mapToObj(i -> stack.service(i) + ":" + stack.appPort()).toList(), template);
    }

    /**
     * Renders with the given upstream addresses instead of the compose services: each one fills
     * the {@code {{app}}} lines once, in order, and {@code {{next_upstream_tries}}} is
     * {@link StackSettings#nextUpstreamTries(int)} of their count. Kubernetes passes its Service
     * name once per replica (see {@link K8sManifests}); {@code make deploy} passes the app
     * containers that serve at each step of a rollout, by address, so adding or removing one
     * container is adding or removing one line.
     *
     * @throws IllegalArgumentException naming the line of an unknown placeholder
     */
    public static String render(StackSettings stack, List<String> upstreams, String template) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("connect_timeout", nginxDuration(stack.connectTimeout()));
        values.put("read_timeout", nginxDuration(stack.readTimeout()));
        values.put("next_upstream_timeout", nginxDuration(stack.nextUpstreamTimeout()));
        values.put("next_upstream_tries", Integer.toString(StackSettings.nextUpstreamTries(upstreams.size())));

        StringBuilder out = new StringBuilder(template.length() + 512);
        String[] lines = template.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (n == lines.length - 1 && line.isEmpty()) {
                break;
            }
            if (line.contains("{{app}}") && !line.stripLeading().startsWith("#")) {
                for (int copy = 0; copy < StackSettings.LINES_PER_CONTAINER; copy++) {
                    for (String upstream : upstreams) {
                        values.put("app", upstream);
                        out.append(substitute(line, values, n + 1)).append('\n');
                    }
                }
                values.remove("app");
            } else if (line.stripLeading().startsWith("#")) {
                out.append(line).append('\n');
            } else {
                out.append(substitute(line, values, n + 1)).append('\n');
            }
        }
        return out.toString();
    }

    /** Whether the upstream pins clients to one container (ip_hash or hash), so one client cannot see them all. */
    public static boolean sticky(String rendered) {
        return STICKY.matcher(rendered).find();
    }

    private static String substitute(String line, Map<String, String> values, int lineNumber) {
        Matcher matcher = PLACEHOLDER.matcher(line);
        StringBuilder out = new StringBuilder(line.length() + 16);
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException("line " + lineNumber + ": unknown placeholder {{" + matcher.group(1)
                        + "}}; known: " + String.join(", ", values.keySet().stream().map(k -> "{{" + k + "}}").toList())
                        + ", {{app}}");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** nginx time syntax: whole seconds as {@code 11s}, otherwise {@code 1500ms}. */
    static String nginxDuration(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }
}
