package io.revenant.worker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.common.buffers.DataReader;
import io.helidon.webserver.CloseConnectionException;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Issue 11 finding 7: what Helidon's parser receives from a connection, chunk by chunk as the socket gave it. */
class RequestStreamTest {

    @Test
    void http11PassesUntouched() {
        String sent = "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /HTTP/1.0\r\n\r\n";
        assertThat(received(List.of(sent.substring(0, 7), sent.substring(7))), is(sent));
    }

    @Test
    void http10KeepAliveHeadsAreTranslatedAcrossBodiesAndChunks() {
        String sent = "POST / HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\nContent-Length: 18\r\n\r\n"
                      + "GET / HTTP/1.0\r\n\r\n"   // a body that looks like a head stays as it is
                      + "GET /2 HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n"
                      + "GET /3 HTTP/1.0\r\nHost: a\r\n\r\n";
        String expected = "POST / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\nContent-Length: 18\r\n\r\n"
                          + "GET / HTTP/1.0\r\n\r\n"
                          + "GET /2 HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n\r\n"
                          + "GET /3 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
        // one byte at a time: every boundary falls inside some chunk
        List<String> chunks = sent.chars().mapToObj(c -> String.valueOf((char) c)).toList();
        assertThat(received(chunks), is(expected));
        assertThat(received(List.of(sent)), is(expected));
    }

    @Test
    void afterANonPersistentHeadEverythingPasses() {
        String sent = "GET / HTTP/1.0\r\nHost: a\r\n\r\nGET /2 HTTP/1.0\r\nHost: a\r\n\r\n";
        assertThat(received(List.of(sent)),
                   is("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /2 HTTP/1.0\r\nHost: a\r\n\r\n"));
    }

    @Test
    void aHeadWithBareLineFeedsReachesHelidonUnchanged() {
        String sent = "GET / HTTP/1.0\r\nHost: a\nX: y\n\n";
        assertThat(received(List.of(sent)), is(sent));
    }

    @Test
    void theEndOfInputClosesTheConnection() {
        Deque<byte[]> socket = new ArrayDeque<>(List.of("GET / HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII)));
        RequestStream stream = new RequestStream(DataReader.create(socket::poll), () -> { }, "a:1");
        stream.get();
        assertThrows(CloseConnectionException.class, stream::get);
    }

    @Test
    void everyArrivalIsReported() {
        AtomicInteger arrivals = new AtomicInteger();
        Deque<byte[]> socket = new ArrayDeque<>(List.of("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII),
                                                        "\r\n".getBytes(StandardCharsets.US_ASCII)));
        RequestStream stream = new RequestStream(DataReader.create(socket::poll), arrivals::incrementAndGet, "a:1");
        stream.get();
        stream.get();
        assertThat(arrivals.get(), is(2));
    }

    /** All the stream hands on until the input ends. */
    private static String received(List<String> chunks) {
        Deque<byte[]> socket = new ArrayDeque<>();
        chunks.forEach(chunk -> socket.add(chunk.getBytes(StandardCharsets.ISO_8859_1)));
        RequestStream stream = new RequestStream(DataReader.create(socket::poll), () -> { }, "a:1");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            while (true) {
                out.writeBytes(stream.get());
            }
        } catch (CloseConnectionException end) {
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
