package io.revenant.supervisor;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks one line a worker wrote on the notify socket before the loop ever sees it: printable
 * ASCII, space-separated {@code KEY=VALUE} fields, every key known and its value of the right
 * shape, {@code WORKER} the id of the process the kernel says is at the other end. The loop can
 * then use the fields as they are, so no line can make it throw.
 */
final class NotifyLine {

    /** The longest line accepted; the worker's longest (READY with its timings) is under 200. */
    static final int MAX_BYTES = 4096;

    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");
    private static final Pattern ONE = Pattern.compile("1");
    /** Each key a worker sends, and the shape of its value. */
    private static final Map<String, Pattern> KEYS = Map.of(
            "WORKER", NUMBER,
            "PID", NUMBER,
            "READY", ONE,
            "SPARE", ONE,
            "ADMIN_PORT", Pattern.compile("[1-9][0-9]{0,4}"),
            "SOCKET", NUMBER,
            "SWAP_US", NUMBER,
            "WAKE_US", NUMBER,
            "RECYCLE", Pattern.compile("[a-z0-9][a-z0-9.:=-]{0,63}"));

    private NotifyLine() {
    }

    /**
     * @param line   the bytes of one line, without its newline
     * @param worker the id of the worker whose pid is at the other end of the connection
     * @param pid    that pid
     * @return the fields, or empty with {@code problem} saying what is wrong
     */
    static Checked check(byte[] line, long worker, long pid) {
        if (line.length > MAX_BYTES) {
            return Checked.rejected("longer than " + MAX_BYTES + " bytes");
        }
        for (byte b : line) {
            if (b < 0x20 || b > 0x7e) {
                return Checked.rejected("not printable ASCII (byte 0x" + String.format("%02x", b & 0xff) + ")");
            }
        }
        String text = new String(line, StandardCharsets.US_ASCII).trim();
        Map<String, String> fields = new HashMap<>();
        for (String field : text.split(" +")) {
            int eq = field.indexOf('=');
            String key = eq > 0 ? field.substring(0, eq) : field;
            Pattern shape = KEYS.get(key);
            if (eq <= 0 || shape == null) {
                return Checked.rejected("unknown field " + abbreviated(key));
            }
            String value = field.substring(eq + 1);
            if (!shape.matcher(value).matches()) {
                return Checked.rejected(key + " has an invalid value " + abbreviated(value));
            }
            if (fields.put(key, value) != null) {
                return Checked.rejected(key + " appears twice");
            }
        }
        if (!String.valueOf(worker).equals(fields.get("WORKER"))) {
            return Checked.rejected("WORKER must be " + worker + ", the id of the sending process");
        }
        if (fields.containsKey("PID") && !String.valueOf(pid).equals(fields.get("PID"))) {
            return Checked.rejected("PID must be " + pid + ", the sending process");
        }
        if (fields.containsKey("ADMIN_PORT") && Integer.parseInt(fields.get("ADMIN_PORT")) > 65535) {
            return Checked.rejected("ADMIN_PORT must be a port from 1 to 65535");
        }
        if (fields.containsKey("READY") && !fields.containsKey("ADMIN_PORT")) {
            return Checked.rejected("READY needs ADMIN_PORT");
        }
        if (!fields.containsKey("READY") && !fields.containsKey("SPARE") && !fields.containsKey("RECYCLE")) {
            return Checked.rejected("no READY, SPARE or RECYCLE");
        }
        return new Checked(Map.copyOf(fields), Optional.empty());
    }

    private static String abbreviated(String text) {
        return '"' + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + '"';
    }

    /** The fields of a valid line, or the reason it was refused. */
    record Checked(Map<String, String> fields, Optional<String> problem) {

        static Checked rejected(String problem) {
            return new Checked(Map.of(), Optional.of(problem));
        }

        boolean valid() {
            return problem.isEmpty();
        }
    }
}
