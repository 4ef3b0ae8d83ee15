package io.revenant.testing;

import java.util.List;

/**
 * Reads one upstream block of a rendered nginx config. The template has two over the same
 * containers (revenant with kept connections, revenant_fresh without), so a test that counts
 * the server lines of the whole file would count every container twice as often.
 */
public final class NginxUpstream {

    /** The block that every GET goes to first. */
    public static final String MAIN = "revenant";
    /** The same containers on new connections: POST, PATCH, LOCK, and the last round of a failed request. */
    public static final String FRESH = "revenant_fresh";

    private NginxUpstream() {
    }

    /**
     * The stripped {@code server ADDRESS …;} lines of {@code upstream NAME { … }}.
     *
     * @throws IllegalArgumentException when the config has no such block
     */
    public static List<String> servers(String conf, String name) {
        return block(conf, name).lines().map(String::strip)
                .filter(line -> line.startsWith("server ") && line.endsWith(";")).toList();
    }

    /** The uncommented lines of {@code upstream NAME { … }}, stripped. */
    public static List<String> directives(String conf, String name) {
        return block(conf, name).lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }

    private static String block(String conf, String name) {
        String open = "\nupstream " + name + " {\n";
        int start = ("\n" + conf).indexOf(open);
        if (start < 0) {
            throw new IllegalArgumentException("no `upstream " + name + " {` in nginx's config:\n" + conf);
        }
        int end = conf.indexOf("\n}", start);
        return conf.substring(start, end < 0 ? conf.length() : end);
    }
}
