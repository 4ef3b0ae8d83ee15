package io.revenant.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The table of {@code revenant status}, from the supervisors' {@code /status} documents: a header
 * line per supervisor, then one row per worker of all of them, so a stack's containers read as one
 * table (a first column names the container when there are several). Pure: the same answers give
 * the same text, which is what its test checks.
 */
final class StatusTable {

    /** One supervisor asked: its document, or why there is none. */
    record Answer(StatusTarget target, Optional<JsonObject> document, String problem) {

        static Answer of(StatusTarget target, JsonObject document) {
            return new Answer(target, Optional.of(document), "");
        }

        static Answer unreachable(StatusTarget target, String problem) {
            return new Answer(target, Optional.empty(), problem);
        }
    }

    private static final List<String> COLUMNS =
            List.of("SLOT", "WORKER", "PID", "STATE", "UPTIME", "RESTARTS", "LAST EXIT", "RSS", "SERVED", "IN FLIGHT");
    /** Columns whose values are numbers, set flush right. */
    private static final List<String> RIGHT = List.of("SLOT", "WORKER", "PID", "UPTIME", "RESTARTS", "RSS", "SERVED", "IN FLIGHT");

    private static final String RESET = "\033[0m";
    private static final String BOLD = "\033[1m";
    private static final String RED = "\033[31m";
    private static final String GREEN = "\033[32m";
    private static final String YELLOW = "\033[33m";
    private static final String CYAN = "\033[36m";
    private static final String DIM = "\033[2m";

    private StatusTable() {
    }

    static String render(List<Answer> answers, boolean colour) {
        StringBuilder out = new StringBuilder(1024);
        boolean several = answers.size() > 1;
        List<String> columns = new ArrayList<>(COLUMNS);
        if (several) {
            columns.addFirst("SUPERVISOR");
        }
        List<List<String>> rows = new ArrayList<>();
        for (Answer answer : answers) {
            out.append(header(answer, colour)).append('\n');
            answer.document().ifPresent(document -> {
                for (JsonObject slot : document.getJsonArray("slots").getValuesAs(JsonObject.class)) {
                    List<String> row = new ArrayList<>(row(slot));
                    if (several) {
                        row.addFirst(answer.target().label());
                    }
                    rows.add(row);
                }
            });
        }
        if (rows.isEmpty()) {
            return out.toString();
        }
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        out.append(paint(line(columns, columns, widths), colour ? BOLD : "")).append('\n');
        int state = columns.indexOf("STATE");
        for (List<String> row : rows) {
            String text = line(columns, row, widths);
            out.append(colour ? colourState(text, row.get(state)) : text).append('\n');
        }
        return out.toString();
    }

    private static String header(Answer answer, boolean colour) {
        if (answer.document().isEmpty()) {
            return paint(answer.target().label() + ": not reachable: " + answer.problem(), colour ? RED : "");
        }
        JsonObject document = answer.document().get();
        String health = document.getString("health", "?");
        return answer.target().label() + "  instance " + document.getString("instance", "?")
               + "  version " + document.getString("version", "?")
               + "  config " + document.getString("config", "?")
               + "  " + document.getString("worker-count", "?")
               + "  health " + paint(health, colour ? (health.equals("UP") ? GREEN : RED) : "")
               + " (" + number(document, "ready") + "/" + number(document, "workers") + " ready"
               + (document.getBoolean("stopping", false) ? ", stopping" : "") + ")";
    }

    private static List<String> row(JsonObject slot) {
        long slotNumber = slot.getJsonNumber("slot").longValue();
        long worker = slot.getJsonNumber("worker").longValue();
        long pid = slot.getJsonNumber("pid").longValue();
        boolean running = pid > 0;
        return List.of(slotNumber == 0 ? "spare" : Long.toString(slotNumber),
                       worker < 0 ? "-" : Long.toString(worker),
                       running ? Long.toString(pid) : "-",
                       slot.getString("state", "?"),
                       running ? uptime(slot.getJsonNumber("uptime-ms").longValue()) : "-",
                       number(slot, "restarts"),
                       slot.getString("last-exit", "").isEmpty() ? "-" : slot.getString("last-exit"),
                       running ? mebibytes(slot.getJsonNumber("rss-kib").longValue()) : "-",
                       running ? number(slot, "requests-served") : "-",
                       running ? number(slot, "requests-in-flight") : "-");
    }

    /** A number field, {@code ?} when it is missing or null (a worker that did not answer in time). */
    private static String number(JsonObject json, String key) {
        JsonValue value = json.get(key);
        return value instanceof JsonNumber n ? Long.toString(n.longValue()) : "?";
    }

    /** {@code 45s}, {@code 12m03s}, {@code 3h04m}, {@code 2d03h}: two units are enough to read at a glance. */
    static String uptime(long millis) {
        long s = Math.max(0, millis) / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, s % 86_400 / 3600);
    }

    static String mebibytes(long kib) {
        return String.format(Locale.ROOT, "%.1f MiB", kib / 1024.0);
    }

    private static String line(List<String> columns, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder(120);
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - cell.length());
            line.append(c == 0 ? "" : "  ").append(RIGHT.contains(columns.get(c)) ? pad + cell : cell + pad);
        }
        return line.toString().stripTrailing();
    }

    private static String colourState(String text, String state) {
        String colour = switch (state) {
            case "ready" -> GREEN;
            case "starting" -> YELLOW;
            case "spare" -> CYAN;
            case "stopping" -> DIM;
            default -> RED;
        };
        return paint(text, colour);
    }

    private static String paint(String text, String colour) {
        return colour.isEmpty() ? text : colour + text + RESET;
    }
}
