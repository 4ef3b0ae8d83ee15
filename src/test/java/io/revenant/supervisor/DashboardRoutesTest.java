package io.revenant.supervisor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.revenant.config.ChaosConfig;
import io.revenant.testing.Await;
import io.revenant.testing.Http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The dashboard's routes on a real admin listener (real sockets: an event stream is not a
 * request-response): the page, {@code GET /events} and the kill relay to a stand-in public port.
 */
class DashboardRoutesTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);
    /** Anything a page could load from elsewhere: a script, style, font or image by URL. */
    private static final Pattern REMOTE = Pattern.compile("(?i)(src|href)\\s*=\\s*[\"']?(https?:)?//|@import|url\\(\\s*['\"]?(https?:)?//");

    private final List<AutoCloseable> open = new ArrayList<>();
    private final EventFeed feed = new EventFeed();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : open.reversed()) {
            closeable.close();
        }
    }

    private int admin(ChaosConfig chaos, int appPort) {
        AtomicReference<PoolSnapshot> snapshot = new AtomicReference<>(new PoolSnapshot("i", "v", 1, Instant.EPOCH, "cfg",
                "1", 1, 1, false, List.of(), Map.of(), System.nanoTime(), 0));
        AdminService service = new AdminService(snapshot, event -> { }, "127.0.0.1", feed, chaos,
                                                Optional.of(new ChaosRelay("0.0.0.0", appPort)));
        WebServer server = WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false)
                .routing(routing -> routing.register("/", service)).build().start();
        open.add(() -> {
            feed.close();
            server.stop();
        });
        return server.port();
    }

    @Test
    void thePageIsSelfContainedAndShowsTheKillButtonOnlyWhenTheEndpointIsOn() throws IOException {
        int on = admin(new ChaosConfig(true, Optional.of("secret")), 1);
        Http.Response page = Http.get(on, "/");
        assertEquals(200, page.status());
        assertThat(page.body(), containsString("<body data-chaos=\"on\" data-token=\"required\">"));
        assertThat("the token itself never reaches the page", page.body(), not(containsString("secret")));
        assertThat("the page loads nothing from elsewhere", REMOTE.matcher(page.body()).results().map(r -> r.group()).toList(),
                   is(empty()));

        int off = admin(new ChaosConfig(false, Optional.empty()), 1);
        assertThat(Http.get(off, "/").body(), containsString("<body data-chaos=\"off\" data-token=\"none\">"));
        assertEquals(404, Http.request(off, "POST", "/chaos/kill", "").status());
    }

    @Test
    void eventsReplayTheRingThenStreamNewLines() throws IOException {
        feed.publish("2026-01-01T00:00:00Z event=worker-ready slot=1 worker=1");
        int port = admin(new ChaosConfig(false, Optional.empty()), 1);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) DEADLINE.toMillis());
            socket.getOutputStream().write("GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            List<String> head = new ArrayList<>();
            for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
                head.add(line.toLowerCase());
            }
            assertThat(head.toString(), containsString("content-type: text/event-stream"));
            assertThat(readUntil(in, "data: "), is("data: 2026-01-01T00:00:00Z event=worker-ready slot=1 worker=1"));
            feed.publish("2026-01-01T00:00:01Z event=worker-exit slot=1 worker=1");
            assertThat(readUntil(in, "data: "), is("data: 2026-01-01T00:00:01Z event=worker-exit slot=1 worker=1"));
        }
    }

    /** The next line (of the chunked body) that starts with {@code prefix}. */
    private static String readUntil(BufferedReader in, String prefix) throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IOException("stream ended before a line starting with " + prefix);
    }

    @Test
    void streamsAboveTheCapAre503AndAClosedStreamFreesItsPlace() throws IOException {
        int port = admin(new ChaosConfig(false, Optional.empty()), 1);
        List<Socket> streams = new ArrayList<>();
        try {
            for (int i = 0; i < EventFeed.MAX_SUBSCRIBERS; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                streams.add(socket);
                socket.getOutputStream().write("GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            Await.until("all streams subscribed", DEADLINE, () -> feed.subscribers() == EventFeed.MAX_SUBSCRIBERS);
            assertEquals(503, Http.get(port, "/events").status());
            streams.removeFirst().close();
            feed.publish("wakes the streams, so the closed one notices");
            Await.until("the closed stream's place is free", DEADLINE, () -> feed.subscribers() < EventFeed.MAX_SUBSCRIBERS);
        } finally {
            for (Socket socket : streams) {
                socket.close();
            }
        }
    }

    @Test
    void theKillGoesToThePublicPortWithTheBrowsersTokenAndItsAnswerComesBack() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        ServerSocket app = new ServerSocket();
        app.bind(new InetSocketAddress("127.0.0.1", 0));
        open.add(app);
        Thread.ofVirtual().start(() -> {
            while (!app.isClosed()) {
                try (Socket client = app.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                    StringBuilder request = new StringBuilder();
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        request.append(line).append('\n');
                    }
                    seen.add(request.toString());
                    String body = "{\"worker\":7,\"slot\":2}";
                    OutputStream out = client.getOutputStream();
                    // no Connection: close and the socket left open a moment, as Helidon may: read by length
                    out.write(("HTTP/1.1 202 Accepted\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                                      .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    in.readLine();
                } catch (IOException e) {
                    // closed
                }
            }
        });
        int port = admin(new ChaosConfig(true, Optional.of("secret")), app.getLocalPort());

        Http.Response killed = Http.request(port, "POST", "/chaos/kill", "Authorization: Bearer secret\r\n");
        assertEquals(202, killed.status());
        assertEquals("{\"worker\":7,\"slot\":2}", killed.body());
        assertThat(seen.getFirst(), containsString("POST /chaos/kill HTTP/1.1\n"));
        assertThat(seen.getFirst(), containsString("Authorization: Bearer secret\n"));

        Http.Response refused = Http.request(port, "POST", "/chaos/kill", "Origin: http://evil.example\r\n");
        assertEquals(403, refused.status());
        assertEquals(1, seen.size(), "a cross-origin kill reached the public port");
    }
}
