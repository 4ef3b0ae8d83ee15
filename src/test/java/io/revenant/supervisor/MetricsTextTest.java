package io.revenant.supervisor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The /metrics text: Prometheus' naming conventions, escaping, and {@code promtool check metrics}. */
class MetricsTextTest {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$");

    /** A pool mid-reload: slot 1 has its worker and the successor, plus two spares in slot 0 and an empty slot. */
    private static PoolSnapshot pool() {
        Map<String, Long> restarts = new LinkedHashMap<>();
        restarts.put("signal:KILL", 2L);
        restarts.put("chaos-kill", 5L);
        restarts.put("odd \"cause\"\\", 1L);
        return new PoolSnapshot("inst-1", "0.1.0", 100, Instant.ofEpochMilli(1_700_000_000_123L), "cfg", "2", 2, 1, false,
                List.of(new PoolSnapshot.SlotView(1, 7, 201, "ready", 3, "chaos-kill", Instant.ofEpochMilli(1_700_000_001_000L), 1),
                        new PoolSnapshot.SlotView(1, 9, 202, "starting", 3, "chaos-kill", Instant.ofEpochMilli(1_700_000_002_000L), -1),
                        new PoolSnapshot.SlotView(0, 10, 203, "spare", 0, "", Instant.ofEpochMilli(1_700_000_003_000L), -1),
                        new PoolSnapshot.SlotView(0, 11, 204, "spare", 0, "", Instant.ofEpochMilli(1_700_000_004_000L), -1),
                        new PoolSnapshot.SlotView(2, -1, -1, "waiting", 1, "code:70", null, -1)),
                restarts, 0, 4);
    }

    private static String text() {
        // pid 204 is gone between the snapshot and the scrape
        return MetricsText.of(pool(), 1234, pid -> pid == 204 ? -1 : pid * 10);
    }

    @Test
    void everyFamilyHasHelpAndTypeAndFollowsTheNamingConventions() {
        Map<String, String> types = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String line : text().split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
            } else if (!line.startsWith("# HELP ")) {
                Matcher sample = SAMPLE.matcher(line);
                if (!sample.matches()) {
                    problems.add("not a sample line: " + line);
                } else if (!types.containsKey(sample.group(1))) {
                    problems.add("sample before its TYPE: " + line);
                }
            }
        }
        types.forEach((name, type) -> {
            if (!name.startsWith("revenant_")) {
                problems.add(name + ": no revenant_ prefix");
            }
            if (type.equals("counter") != name.endsWith("_total")) {
                problems.add(name + ": a counter ends in _total and only a counter does (" + type + ")");
            }
            if (name.contains("rss") || name.contains("kib") || name.endsWith("_ms")) {
                problems.add(name + ": units go in base units, spelled out (_bytes, _seconds)");
            }
        });
        assertThat(problems, is(empty()));
        assertThat(types.get("revenant_worker_restarts_total"), is("counter"));
    }

    @Test
    void seriesAreUniqueWhenASlotHasTwoWorkersAndSparesShareSlotZero() {
        List<String> series = Stream.of(text().split("\n")).filter(line -> !line.startsWith("#"))
                .map(line -> line.substring(0, line.lastIndexOf(' '))).toList();
        assertEquals(series.stream().distinct().count(), series.size(), "duplicate series: " + series);
        assertThat(text(), containsString("revenant_worker_resident_memory_bytes{slot=\"1\",worker=\"9\"} 2068480\n"));
        assertThat(text(), containsString("revenant_worker_start_time_seconds{slot=\"0\",worker=\"10\"} 1700000003.000\n"));
        assertThat("a gone pid has no RSS sample", text(), not(containsString("resident_memory_bytes{slot=\"0\",worker=\"11\"}")));
        assertThat("an empty slot has no worker series", text(), not(containsString("worker=\"-1\"")));
    }

    @Test
    void restartsAreCountedByCauseWithLabelValuesEscaped() {
        String text = text();
        assertThat(text, containsString("revenant_worker_restarts_total{cause=\"chaos-kill\"} 5\n"));
        assertThat(text, containsString("revenant_worker_restarts_total{cause=\"signal:KILL\"} 2\n"));
        assertThat(text, containsString("revenant_worker_restarts_total{cause=\"odd \\\"cause\\\"\\\\\"} 1\n"));
        assertThat(text, containsString("revenant_supervisor_start_time_seconds 1700000000.123\n"));
        assertThat(text, containsString("revenant_supervisor_loop_age_seconds 1.234\n"));
        assertThat(text, containsString("revenant_log_dropped_lines_total 4\n"));
    }

    /**
     * Prometheus' own linter. It ships in Debian's {@code prometheus} package, which .ci/run
     * installs; without it this test is skipped and says why.
     */
    @Test
    void promtoolCheckMetricsPasses() throws IOException, InterruptedException {
        Optional<Path> promtool = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(dir -> Path.of(dir, "promtool")).filter(Files::isExecutable).findFirst();
        assumeTrue(promtool.isPresent(), "promtool is not on PATH, so `promtool check metrics` cannot run: "
                                         + "install Debian's prometheus package (apt-get install prometheus)");
        Process check = new ProcessBuilder(promtool.get().toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = check.getOutputStream()) {
            in.write(text().getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat("promtool did not finish", check.waitFor(30, TimeUnit.SECONDS), is(true));
        assertEquals(0, check.exitValue(), "promtool check metrics:\n" + output + "\non:\n" + text());
        assertThat("promtool's lint findings", output.strip(), is(""));
    }
}
