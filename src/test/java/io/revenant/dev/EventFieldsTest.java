package io.revenant.dev;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.revenant.log.EventLine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class EventFieldsTest {

    private static final Instant AT = Instant.parse("2026-12-02T05:00:00.123Z");

    @Test
    void readsBackWhatEventLineWrites() {
        String line = EventLine.format(AT, "reload-rejected", "origin", "signal", "key", "supervisor.restart",
                                       "error", "must be one of always, on-failure, no; got \"x=y\"\n\\ \u0001");
        assertThat(EventFields.parse(line), is(Optional.of(Map.of(
                "event", "reload-rejected", "origin", "signal", "key", "supervisor.restart",
                "error", "must be one of always, on-failure, no; got \"x=y\"\n\\ \u0001"))));
    }

    @Test
    void bareAndEmptyValues() {
        String line = EventLine.format(AT, "reload", "origin", "signal", "workers", 2, "replace", 2, "note", "");
        assertThat(EventFields.parse(line), is(Optional.of(Map.of(
                "event", "reload", "origin", "signal", "workers", "2", "replace", "2", "note", ""))));
    }

    @Test
    void otherLinesAreNotEvents() {
        assertThat(EventFields.parse("[worker 3] Exception in thread \"main\" event=nope"), is(Optional.empty()));
        assertThat(EventFields.parse("[0.015s][error][aot] Loading static archive failed."), is(Optional.empty()));
        assertThat(EventFields.parse(""), is(Optional.empty()));
    }
}
