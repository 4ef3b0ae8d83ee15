package io.revenant.supervisor;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ring and the subscriber queues behind the dashboard's {@code GET /events}. */
class EventFeedTest {

    private static final Duration NO_WAIT = Duration.ZERO;

    private static List<String> texts(List<EventFeed.Line> lines) {
        return lines.stream().map(EventFeed.Line::text).toList();
    }

    @Test
    void aNewSubscriberGetsTheLastHundredLinesOldestFirst() {
        EventFeed feed = new EventFeed();
        for (int i = 1; i <= 150; i++) {
            feed.publish("line " + i);
        }
        List<EventFeed.Line> replay = feed.subscribe(0).orElseThrow().replay();
        assertEquals(100, replay.size());
        assertEquals("line 51", replay.getFirst().text());
        assertEquals("line 150", replay.getLast().text());
        assertEquals(150, replay.getLast().id());
    }

    @Test
    void aReconnectingSubscriberGetsOnlyWhatItMissed() throws Exception {
        EventFeed feed = new EventFeed();
        feed.publish("a");
        feed.publish("b");
        feed.publish("c");
        assertEquals(List.of("c"), texts(feed.subscribe(2).orElseThrow().replay()));
    }

    @Test
    void linesAfterSubscribingArriveInOrderAndAQuietPeriodIsEmpty() throws Exception {
        EventFeed feed = new EventFeed();
        feed.publish("before");
        EventFeed.Subscription subscription = feed.subscribe(0).orElseThrow();
        feed.publish("after 1");
        feed.publish("after 2");
        assertEquals(List.of("before"), texts(subscription.replay()));
        assertEquals("after 1", subscription.next(NO_WAIT).orElseThrow().text());
        assertEquals("after 2", subscription.next(NO_WAIT).orElseThrow().text());
        assertEquals(Optional.empty(), subscription.next(NO_WAIT));
    }

    @Test
    void subscribersAreCappedAndAClosedOneFreesItsPlace() {
        EventFeed feed = new EventFeed();
        EventFeed.Subscription first = feed.subscribe(0).orElseThrow();
        for (int i = 1; i < EventFeed.MAX_SUBSCRIBERS; i++) {
            assertTrue(feed.subscribe(0).isPresent());
        }
        assertTrue(feed.subscribe(0).isEmpty(), "one subscriber above the cap was accepted");
        first.close();
        assertTrue(feed.subscribe(0).isPresent());
    }

    // a browser that stops reading must cost a bounded queue, and never hold up the event log
    @Test
    void aSubscriberThatFallsBehindIsCutOffWhilePublishingGoesOn() throws Exception {
        EventFeed feed = new EventFeed(100, 8, 16);
        EventFeed.Subscription stalled = feed.subscribe(0).orElseThrow();
        EventFeed.Subscription reading = feed.subscribe(0).orElseThrow();
        for (int i = 1; i <= 10_000; i++) {
            feed.publish("line " + i);
            if (i % 8 == 0) {
                while (reading.next(NO_WAIT).isPresent()) {
                    // keeps up
                }
            }
        }
        assertThrows(EventFeed.Ended.class, () -> stalled.next(NO_WAIT));
        assertEquals(1, feed.subscribers(), "the stalled subscriber still holds a place");
        assertEquals(Optional.empty(), reading.next(NO_WAIT));
        feed.publish("still live");
        assertEquals("still live", reading.next(NO_WAIT).orElseThrow().text());
    }

    @Test
    void closingTheFeedEndsEveryStreamAndRefusesNewOnes() {
        EventFeed feed = new EventFeed();
        EventFeed.Subscription subscription = feed.subscribe(0).orElseThrow();
        feed.close();
        assertThrows(EventFeed.Ended.class, () -> subscription.next(Duration.ofSeconds(30)));
        assertTrue(feed.subscribe(0).isEmpty());
    }
}
