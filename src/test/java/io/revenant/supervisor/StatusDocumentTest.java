package io.revenant.supervisor;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import io.revenant.protocol.JsonText;
import io.revenant.protocol.WorkerStats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The /status document: snapshot fields under their kebab-case keys, plus RSS and request counters asked live. */
class StatusDocumentTest {

    private static final PoolSnapshot POOL = new PoolSnapshot(
            "inst", "1.2", 10, Instant.parse("2026-01-01T00:00:00Z"), "config/application.yaml",
            "cpus=4 containers=2 workers=2 basis=auto", 2, 1, false,
            List.of(new PoolSnapshot.SlotView(1, 7, 101, "ready", 3, "signal:KILL", Instant.ofEpochMilli(1_000), 5001),
                    new PoolSnapshot.SlotView(2, 8, 102, "ready", 0, "", Instant.ofEpochMilli(4_000), 5002),
                    new PoolSnapshot.SlotView(0, 9, 103, "spare", 0, "", Instant.ofEpochMilli(9_000), -1)),
            Map.of("signal:KILL", 3L), 0, 0);

    private static JsonObject document() {
        // worker on admin port 5001 answers its counters; 5002 does not answer in time
        StatusDocument.Sources sources = new StatusDocument.Sources(
                pid -> pid * 1000, port -> port == 5001 ? Optional.of(new WorkerStats(1234, 2)) : Optional.empty(), 10_000);
        return StatusDocument.of(POOL, 12, sources);
    }

    @Test
    void headerFields() {
        JsonObject json = document();
        assertThat(json.getString("instance"), is("inst"));
        assertThat(json.getString("worker-count"), is("cpus=4 containers=2 workers=2 basis=auto"));
        assertThat(json.getInt("workers"), is(2));
        assertThat(json.getInt("ready"), is(2));
        assertThat(json.getInt("loop-age-ms"), is(12));
        assertThat(json.getString("health"), is("UP"));
        assertThat(json.getInt("rss-kib"), is(10_000));
        assertThat(json.getJsonObject("restarts-by-cause").getInt("signal:KILL"), is(3));
    }

    @Test
    void slotsCarryUptimeRssAndRequestCounters() {
        List<JsonObject> slots = document().getJsonArray("slots").getValuesAs(JsonObject.class);
        JsonObject first = slots.get(0);
        assertThat(first.getInt("worker"), is(7));
        assertThat(first.getString("last-exit"), is("signal:KILL"));
        assertThat(first.getInt("uptime-ms"), is(9_000));
        assertThat(first.getInt("rss-kib"), is(101_000));
        assertThat(first.getInt("requests-served"), is(1234));
        assertThat(first.getInt("requests-in-flight"), is(2));
        // no answer: unknown, not zero
        assertThat(slots.get(1).get("requests-served"), is(JsonValue.NULL));
        assertThat(slots.get(1).get("requests-in-flight"), is(JsonValue.NULL));
        // a spare serves nobody and is not asked
        assertThat(slots.get(2).getString("state"), is("spare"));
        assertThat(slots.get(2).getInt("requests-served"), is(0));
    }

    @Test
    void writtenAsCompactJsonWithEscapes() {
        PoolSnapshot quoted = new PoolSnapshot("i", "v", 1, Instant.EPOCH, "dir \"x\"\\y.yaml", "n", 0, 0, true, List.of(),
                                               Map.of(), 0, 0);
        String text = JsonText.write(StatusDocument.of(quoted, 0, new StatusDocument.Sources(pid -> -1, port -> Optional.empty(), 0)));
        assertThat(JsonText.parse(text).orElseThrow().getString("config"), is("dir \"x\"\\y.yaml"));
        assertThat(JsonText.parse(text).orElseThrow().getString("health"), is("DOWN"));
    }
}
