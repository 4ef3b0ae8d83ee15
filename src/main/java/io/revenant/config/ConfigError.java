package io.revenant.config;

/**
 * One problem found in a configuration file, phrased so a user can fix it without reading code:
 * {@code config/application.yaml: server.port: must be an integer from 1 to 65535; got "70000"}.
 *
 * @param source the file (or other origin) the value came from
 * @param key    dotted key path, empty when the problem is the whole file
 * @param detail what is allowed and what was found
 */
public record ConfigError(String source, String key, String detail) {

    /** Keys come from the file: a key of 100 KB is cut short so the message stays readable. */
    public ConfigError {
        if (key.length() > 200) {
            key = key.substring(0, 200) + "…";
        }
    }

    @Override
    public String toString() {
        return key.isEmpty() ? source + ": " + detail : source + ": " + key + ": " + detail;
    }
}
