package io.revenant.supervisor;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /events}: the {@link EventFeed} as server-sent events ({@code text/event-stream},
 * HTML Living Standard §9.2): the ring's lines, then each line as it is logged, one event per
 * line with the feed's number as its {@code id}. Each stream is served on its own request thread
 * (Helidon's virtual threads), blocked on its subscription's queue, never on the loop.
 */
final class EventStream implements Handler {

    /** A comment line this often, so that a proxy keeps the stream open and a gone browser is noticed. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** What EventSource waits before reconnecting after the stream ends (its default is ~3 s). */
    private static final long RETRY_MS = 1000;

    private final EventFeed feed;

    EventStream(EventFeed feed) {
        this.feed = feed;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        Optional<EventFeed.Subscription> subscribed = feed.subscribe(lastEventId(req));
        if (subscribed.isEmpty()) {
            res.status(Status.SERVICE_UNAVAILABLE_503).header(HeaderNames.RETRY_AFTER, "5")
                    .send("at most " + EventFeed.MAX_SUBSCRIBERS + " event streams are served at once\n");
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .header(HeaderNames.CACHE_CONTROL, "no-store");
        try (EventFeed.Subscription subscription = subscribed.get(); OutputStream out = res.outputStream()) {
            write(out, "retry: " + RETRY_MS + "\n\n");
            for (EventFeed.Line line : subscription.replay()) {
                write(out, event(line));
            }
            out.flush();
            while (true) {
                Optional<EventFeed.Line> line = subscription.next(KEEP_ALIVE);
                write(out, line.map(EventStream::event).orElse(": keep-alive\n\n"));
                out.flush();
            }
        } catch (EventFeed.Ended e) {
            // cut off (fell behind, or the supervisor stops): the browser reconnects by itself
        } catch (IOException | UncheckedIOException e) {
            // the browser went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An event line holds no line break (EventLine escapes them), so one {@code data:} field carries it. */
    static String event(EventFeed.Line line) {
        return "id: " + line.id() + "\ndata: " + line.text() + "\n\n";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The id a reconnecting EventSource last saw; 0 (replay the whole ring) when absent or not a number. */
    private static long lastEventId(ServerRequest req) {
        try {
            return req.headers().first(HeaderNames.create("Last-Event-ID")).map(String::trim).map(Long::parseLong)
                    .orElse(0L);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
