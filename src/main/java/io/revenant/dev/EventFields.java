package io.revenant.dev;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads back a line in the one event format ({@link io.revenant.log.EventLine}): the dev loop
 * follows its supervisor through the lines it prints, as a person and grep do, instead of asking
 * a second channel (the admin listener may be off). Values are bare words or quoted with the
 * escapes EventLine writes.
 */
final class EventFields {

    private EventFields() {
    }

    /**
     * The fields of an event line ({@code event} among them), or empty for any other line (a
     * worker's output, a JVM warning).
     */
    static Optional<Map<String, String>> parse(String line) {
        int start = line.indexOf(" event=");
        if (start < 0 || line.indexOf(' ') != start) {
            return Optional.empty();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        int i = start + 1;
        while (i < line.length()) {
            int equals = line.indexOf('=', i);
            if (equals < 0) {
                return Optional.empty();
            }
            String key = line.substring(i, equals);
            StringBuilder value = new StringBuilder();
            int j = equals + 1;
            if (j < line.length() && line.charAt(j) == '"') {
                j++;
                while (j < line.length() && line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\' && j + 1 < line.length()) {
                        char next = line.charAt(++j);
                        switch (next) {
                            case 'n' -> value.append('\n');
                            case 'r' -> value.append('\r');
                            case 'x' -> {
                                int code = j + 2 < line.length() ? HexFormat.fromHexDigits(line, j + 1, j + 3) : -1;
                                value.append((char) code);
                                j += 2;
                            }
                            default -> value.append(next);
                        }
                    } else {
                        value.append(c);
                    }
                    j++;
                }
                j++; // the closing quote
            } else {
                int space = line.indexOf(' ', j);
                int end = space < 0 ? line.length() : space;
                value.append(line, j, end);
                j = end;
            }
            fields.put(key, value.toString());
            i = j + 1;
        }
        return fields.containsKey("event") ? Optional.of(fields) : Optional.empty();
    }
}
