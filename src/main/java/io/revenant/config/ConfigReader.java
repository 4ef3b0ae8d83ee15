package io.revenant.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.config.Config;

/**
 * Reads typed values out of a Helidon {@link Config} tree, remembering every key it was asked
 * for (so unknown keys can be reported) and collecting every problem instead of stopping at the
 * first one.
 */
final class ConfigReader {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|sec|min|m|h)?");

    private final Config root;
    private final String source;
    private final Set<String> known = new HashSet<>();
    private final List<String> knownLists = new ArrayList<>();
    private final List<ConfigError> errors = new ArrayList<>();

    ConfigReader(Config root, String source) {
        this.root = root;
        this.source = source;
    }

    List<ConfigError> errors() {
        return errors;
    }

    void error(String key, String detail) {
        errors.add(new ConfigError(source, key, detail));
    }

    /** Reports every leaf the reader was never asked for; call after all reads. */
    void rejectUnknownKeys() {
        root.traverse()
                .filter(Config::isLeaf)
                .map(node -> node.key().toString())
                .filter(key -> !known.contains(key) && !below(knownLists, key) && !below(known, key))
                .sorted()
                .forEach(key -> error(key, section(key)
                        .map(first -> "is a section (such as " + first + "), not a value; remove it or give it keys")
                        .orElse("unknown key; see the configuration table in README.md")));
    }

    /** A known key under {@code key}, when {@code key} is a section left empty ({@code chaos:} alone). */
    private Optional<String> section(String key) {
        return known.stream().filter(name -> name.startsWith(key + ".")).sorted().findFirst();
    }

    /** A leaf under a known key was already reported as "must be a single value". */
    private static boolean below(java.util.Collection<String> parents, String key) {
        return parents.stream().anyMatch(parent -> key.startsWith(parent + "."));
    }

    /** The value as written, when the key is present as a single value; absent and sections give empty. */
    private Optional<String> scalar(String key) {
        known.add(key);
        Config node = root.get(key);
        if (!node.exists()) {
            return Optional.empty();
        }
        if (!node.isLeaf()) {
            error(key, "must be a single value, not a section or a list");
            return Optional.empty();
        }
        return Optional.of(node.asString().orElse(""));
    }

    /**
     * The trimmed value of a scalar key; empty when the key is absent. A key that is present but
     * blank ({@code host: ""}, or {@code host:} alone) is an error, never the default: an empty
     * host would have meant every interface.
     *
     * @param absent what leaving the key out gives, for the message
     */
    private Optional<String> raw(String key, Object absent) {
        Optional<String> value = scalar(key);
        if (value.isEmpty()) {
            return value;
        }
        if (value.get().isBlank()) {
            error(key, "must not be empty; remove the key for " + absent);
            return Optional.empty();
        }
        return printable(key, value.get()) ? Optional.of(value.get().trim()) : Optional.empty();
    }

    /** Control characters (NUL, tab, escape) have no place in a value, and NUL cannot reach a process. */
    private boolean printable(String key, String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                error(key, "must not contain control characters; got U+" + String.format("%04X", (int) value.charAt(i))
                           + " at character " + (i + 1));
                return false;
            }
        }
        return true;
    }

    String string(String key, String fallback) {
        return raw(key, "the default (" + fallback + ")").orElse(fallback);
    }

    /**
     * A bearer token: present means required, so it must be something a client can send in an
     * {@code Authorization} header (RFC 6750: visible ASCII, no spaces). The value is never
     * repeated in a message.
     */
    Optional<String> token(String key) {
        Optional<String> present = scalar(key);
        if (present.isEmpty()) {
            return present;
        }
        String value = present.get();
        if (value.isEmpty()) {
            error(key, "must not be empty: an empty token would turn the authentication off;"
                       + " remove the key if no token is wanted");
            return Optional.empty();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                error(key, "must be visible ASCII without spaces (it is sent in an Authorization header); character "
                           + (i + 1) + " of " + value.length() + " is U+" + String.format("%04X", (int) c));
                return Optional.empty();
            }
        }
        return Optional.of(value);
    }

    boolean bool(String key, boolean fallback) {
        Optional<String> value = raw(key, "the default (" + fallback + ")");
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                error(key, "must be true or false; got " + shown(value.get()));
                yield fallback;
            }
        };
    }

    int integer(String key, int fallback, int min, int max) {
        return (int) number(key, fallback, min, max);
    }

    long number(String key, long fallback, long min, long max) {
        Optional<String> value = raw(key, "the default (" + fallback + ")");
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.get());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below, with the allowed range
        }
        error(key, "must be an integer from " + min + " to " + max + "; got " + shown(value.get()));
        return fallback;
    }

    /** {@code auto} (empty result) or an integer in range. */
    OptionalInt autoOrInteger(String key, int min, int max) {
        Optional<String> value = raw(key, "the default (auto)");
        if (value.isEmpty() || value.get().equals("auto")) {
            return OptionalInt.empty();
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed >= min && parsed <= max) {
                return OptionalInt.of(parsed);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        error(key, "must be auto or an integer from " + min + " to " + max + "; got " + shown(value.get()));
        return OptionalInt.empty();
    }

    /** {@code auto} (empty result) or a size in MiB written as the JVM's -Xmx is: {@code 48m}, {@code 2g}. */
    OptionalLong autoOrMebibytes(String key, long minMib, long maxMib) {
        Optional<String> value = raw(key, "the default (auto)");
        if (value.isEmpty() || value.get().equals("auto")) {
            return OptionalLong.empty();
        }
        String text = value.get().toLowerCase(java.util.Locale.ROOT);
        try {
            if (text.length() > 1 && (text.endsWith("m") || text.endsWith("g"))) {
                long mib = Long.parseLong(text.substring(0, text.length() - 1)) * (text.endsWith("g") ? 1024 : 1);
                if (mib >= minMib && mib <= maxMib) {
                    return OptionalLong.of(mib);
                }
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        error(key, "must be auto or a size from " + minMib + "m to " + maxMib + "m, in m or g (48m, 1g); got " + shown(value.get()));
        return OptionalLong.empty();
    }

    <E extends Enum<E>> E oneOf(String key, E fallback, List<E> values, java.util.function.Function<E, String> spelling) {
        Optional<String> value = raw(key, "the default (" + spelling.apply(fallback) + ")");
        if (value.isEmpty()) {
            return fallback;
        }
        for (E candidate : values) {
            if (spelling.apply(candidate).equals(value.get())) {
                return candidate;
            }
        }
        error(key, "must be one of " + String.join(", ", values.stream().map(spelling).toList())
                + "; got " + shown(value.get()));
        return fallback;
    }

    /**
     * A systemd-style duration: a plain number is seconds; {@code ms}, {@code s}, {@code min},
     * {@code h} suffixes are accepted ({@code 0.5}, {@code 500ms}, {@code 2min}).
     */
    Duration duration(String key, Duration fallback, Duration min, Duration max) {
        Optional<String> value = raw(key, "the default (" + describe(fallback) + ")");
        if (value.isEmpty()) {
            return fallback;
        }
        Duration parsed = parseDuration(value.get());
        if (parsed != null && parsed.compareTo(min) >= 0 && parsed.compareTo(max) <= 0) {
            return parsed;
        }
        error(key, "must be a duration from " + describe(min) + " to " + describe(max)
                + " (seconds, or with a unit: 500ms, 2s, 1min); got " + shown(value.get()));
        return fallback;
    }

    List<String> stringList(String key) {
        knownLists.add(key);
        Config node = root.get(key);
        if (!node.exists()) {
            return List.of();
        }
        if (node.isLeaf()) {
            // a single string is accepted as a one-element list
            return raw(key, "no options (or write [])").map(List::of).orElse(List.of());
        }
        if (node.type() != Config.Type.LIST) {
            error(key, "must be a list of strings");
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (Config item : node.asNodeList().orElse(List.of())) {
            String itemKey = item.key().toString();
            if (!item.isLeaf()) {
                error(itemKey, "must be a string");
                continue;
            }
            String value = item.asString().orElse("");
            if (value.isBlank()) {
                error(itemKey, "must not be empty; remove the item");
            } else if (printable(itemKey, value)) {
                values.add(value);
            }
        }
        return values;
    }

    /** A value as messages repeat it: quoted, and cut short when long (a 100 KB value is a typo, not a message). */
    static String shown(String value) {
        return value.length() <= 100 ? '"' + value + '"'
                : '"' + value.substring(0, 100) + "…\" (" + value.length() + " characters)";
    }

    static Duration parseDuration(String text) {
        Matcher matcher = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            return null;
        }
        double amount = Double.parseDouble(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        double millis = switch (unit) {
            case "ms" -> amount;
            case "min", "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> amount * 1000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }
}
