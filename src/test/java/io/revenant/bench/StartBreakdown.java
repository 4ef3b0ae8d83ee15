package io.revenant.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code event=worker-start-steps} lines a supervisor's log holds (one per worker start,
 * written by the worker's StartSteps): per step, the median wall and CPU milliseconds.
 */
final class StartBreakdown {

    private static final Pattern FIELD = Pattern.compile(" ([a-z-]+)-ms=(-?[0-9.]+)");

    /** Wall ms by step in log order, the CPU ms by step, and the whole starts. */
    private final Map<String, List<Double>> wall = new LinkedHashMap<>();
    private final Map<String, List<Double>> cpu = new LinkedHashMap<>();
    private int starts;

    /** The lines of {@code log} after the first {@code skip} (the starts before the first kill). */
    static StartBreakdown read(Path log, int skip) throws IOException {
        StartBreakdown breakdown = new StartBreakdown();
        List<String> lines = Files.readAllLines(log).stream().filter(l -> l.contains("event=worker-start-steps")).toList();
        for (String line : lines.subList(Math.min(skip, lines.size()), lines.size())) {
            breakdown.starts++;
            Matcher m = FIELD.matcher(line);
            while (m.find()) {
                String key = m.group(1);
                double value = Double.parseDouble(m.group(2));
                if (key.endsWith("-cpu")) {
                    breakdown.cpu.computeIfAbsent(key.substring(0, key.length() - 4), k -> new ArrayList<>()).add(value);
                } else if (!key.equals("total") && !key.equals("cpu")) {
                    breakdown.wall.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
                } else {
                    (key.equals("total") ? breakdown.wall : breakdown.cpu)
                            .computeIfAbsent("total", k -> new ArrayList<>()).add(value);
                }
            }
        }
        return breakdown;
    }

    int starts() {
        return starts;
    }

    /** Median CPU ms of a whole start, NaN without a sample. */
    double medianCpuMs() {
        return Stats.of(cpu.getOrDefault("total", List.of())).median();
    }

    /** {@code main 80 / 120 · setup 20 / 30 · … · total 150 / 240} (median wall / CPU ms per step). */
    String cell() {
        if (starts == 0) {
            return "no start-steps line in the log";
        }
        List<String> parts = new ArrayList<>();
        wall.forEach((step, values) -> parts.add(String.format(java.util.Locale.ROOT, "%s %.0f / %.0f", step,
                Stats.of(values).median(), Stats.of(cpu.getOrDefault(step, List.of())).median())));
        return String.join(" · ", parts) + " ms (median wall / CPU, n=" + starts + ")";
    }
}
