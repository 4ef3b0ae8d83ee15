package io.revenant.protocol;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one spelling of the notify protocol, used by both ends: a line of space-separated
 * {@code KEY=VALUE} fields per {@link Notice} from a worker, and {@code BIND SLOT=n} per
 * {@link Command} from the supervisor.
 *
 * <p>Nothing another process writes is trusted, so {@link #decode(byte[], long, long)} checks a
 * line completely before the loop ever sees it: printable ASCII, every key known and its value of
 * the right shape, exactly one message with exactly its own fields, {@code WORKER} and
 * {@code PID} those of the process the kernel says is at the other end. No line can make the
 * loop throw.
 */
public final class NotifyCodec {

    /** The longest line accepted; the worker's longest (READY with its timings) is under 200. */
    public static final int MAX_BYTES = 4096;
    /** The highest slot a {@code BIND} names (six digits). */
    static final int MAX_SLOT = 999_999;
    /** The highest number a field carries (18 digits: what {@code [0-9]{1,18}} lets through). */
    static final long MAX_NUMBER = 999_999_999_999_999_999L;
    static final Pattern RECYCLE_REASON = Pattern.compile("[a-z0-9][a-z0-9.:=-]{0,63}");

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
            "RECYCLE", RECYCLE_REASON);
    /** The fields of each message, in the order they are written (ADMIN_PORT first of READY's needs). */
    private static final Map<String, List<String>> FIELDS = Map.of(
            "READY", List.of("READY", "WORKER", "ADMIN_PORT", "PID", "SOCKET", "SWAP_US", "WAKE_US"),
            "SPARE", List.of("SPARE", "WORKER", "PID"),
            "RECYCLE", List.of("RECYCLE", "WORKER"));
    private static final Pattern BIND = Pattern.compile("BIND SLOT=([0-9]{1,6})");

    private NotifyCodec() {
    }

    /** The line for {@code notice}, without its newline. */
    public static String encode(Notice notice) {
        return switch (notice) {
            case Notice.Ready ready -> "READY=1 WORKER=" + ready.worker() + " PID=" + ready.pid()
                    + " ADMIN_PORT=" + ready.adminPort() + " SOCKET=" + ready.socketInode()
                    + " SWAP_US=" + ready.swapMicros() + " WAKE_US=" + ready.wakeMicros();
            case Notice.Spare spare -> "SPARE=1 WORKER=" + spare.worker() + " PID=" + spare.pid();
            case Notice.Recycle recycle -> "RECYCLE=" + recycle.reason() + " WORKER=" + recycle.worker();
        };
    }

    /** The line for {@code command}, without its newline. */
    public static String encode(Command command) {
        return switch (command) {
            case Command.Bind bind -> "BIND SLOT=" + bind.slot();
        };
    }

    /**
     * Reads a line a worker wrote.
     *
     * @param line   the bytes of one line, without its newline
     * @param worker the id of the worker whose pid is at the other end of the connection
     * @param pid    that pid
     */
    public static Decoded<Notice> decode(byte[] line, long worker, long pid) {
        if (line.length > MAX_BYTES) {
            return tooLong();
        }
        for (byte b : line) {
            if (b < 0x20 || b > 0x7e) {
                return rejected("not printable ASCII (byte 0x" + String.format("%02x", b & 0xff) + ")");
            }
        }
        String text = new String(line, StandardCharsets.US_ASCII).trim();
        Map<String, String> fields = new HashMap<>();
        for (String field : text.split(" +")) {
            int eq = field.indexOf('=');
            String key = eq > 0 ? field.substring(0, eq) : field;
            Pattern shape = KEYS.get(key);
            if (eq <= 0 || shape == null) {
                return rejected("unknown field " + abbreviated(key));
            }
            String value = field.substring(eq + 1);
            if (!shape.matcher(value).matches()) {
                return rejected(key + " has an invalid value " + abbreviated(value));
            }
            if (fields.put(key, value) != null) {
                return rejected(key + " appears twice");
            }
        }
        if (!String.valueOf(worker).equals(fields.get("WORKER"))) {
            return rejected("WORKER must be " + worker + ", the id of the sending process");
        }
        if (fields.containsKey("PID") && !String.valueOf(pid).equals(fields.get("PID"))) {
            return rejected("PID must be " + pid + ", the sending process");
        }
        if (fields.containsKey("ADMIN_PORT") && Integer.parseInt(fields.get("ADMIN_PORT")) > 65535) {
            return rejected("ADMIN_PORT must be a port from 1 to 65535");
        }
        List<String> kinds = FIELDS.keySet().stream().filter(fields::containsKey).sorted().toList();
        if (kinds.isEmpty()) {
            return rejected("no READY, SPARE or RECYCLE");
        }
        if (kinds.size() > 1) {
            return rejected(String.join(" and ", kinds) + " are separate messages, one per line");
        }
        String kind = kinds.getFirst();
        List<String> own = FIELDS.get(kind);
        for (String key : own) {
            if (!fields.containsKey(key)) {
                return rejected(kind + " needs " + key);
            }
        }
        for (String key : fields.keySet()) {
            if (!own.contains(key)) {
                return rejected(key + " is not a field of " + kind);
            }
        }
        return new Decoded.Accepted<>(switch (kind) {
            case "READY" -> new Notice.Ready(worker, pid, Integer.parseInt(fields.get("ADMIN_PORT")),
                                             Long.parseLong(fields.get("SOCKET")), Long.parseLong(fields.get("SWAP_US")),
                                             Long.parseLong(fields.get("WAKE_US")));
            case "SPARE" -> new Notice.Spare(worker, pid);
            default -> new Notice.Recycle(worker, fields.get("RECYCLE"));
        });
    }

    /** What {@link #decode(byte[], long, long)} says of a line cut at {@link #MAX_BYTES}. */
    public static Decoded<Notice> tooLong() {
        return rejected("longer than " + MAX_BYTES + " bytes");
    }

    /** Reads a line the supervisor wrote (the worker trusts its parent, but not a garbled line). */
    public static Decoded<Command> decodeCommand(String line) {
        Matcher bind = BIND.matcher(line.trim());
        if (bind.matches()) {
            return new Decoded.Accepted<>(new Command.Bind(Integer.parseInt(bind.group(1))));
        }
        return new Decoded.Rejected<>("unknown command " + abbreviated(line.trim()) + "; the supervisor sends only BIND SLOT=n");
    }

    /** {@code value}, if a field can carry it; a notice the reader would refuse is not built at all. */
    static long number(String field, long value) {
        if (value < 0 || value > MAX_NUMBER) {
            throw new IllegalArgumentException(field + " must be 0 to " + MAX_NUMBER + "; got " + value);
        }
        return value;
    }

    private static Decoded<Notice> rejected(String problem) {
        return new Decoded.Rejected<>(problem);
    }

    private static String abbreviated(String text) {
        return '"' + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + '"';
    }

    /** A message read from a line, or the reason the line was refused. */
    public sealed interface Decoded<T> {

        record Accepted<T>(T message) implements Decoded<T> {
        }

        record Rejected<T>(String problem) implements Decoded<T> {
        }
    }
}
