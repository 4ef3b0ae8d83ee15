package io.revenant.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one HTTP client reads answers by their framing, never by waiting for the server to close. */
class OneShotHttpTest {

    /**
     * Answers one request with {@code answer} and keeps the connection open until the test ends,
     * as Helidon 4.5.0 does after {@code Connection: close}: a client that reads to the end of
     * the stream waits for the read timeout and fails.
     */
    private static OneShotHttp.Response exchange(String answer, Map<String, String> headers) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        StringBuilder request = new StringBuilder();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread serving = Thread.ofVirtual().start(() -> {
                try (Socket socket = server.accept()) {
                    InputStream in = socket.getInputStream();
                    byte[] head = new byte[4096];
                    int n = in.read(head);
                    request.append(new String(head, 0, Math.max(n, 0), StandardCharsets.US_ASCII));
                    socket.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
                    socket.getOutputStream().flush();
                    done.await();
                } catch (IOException | InterruptedException e) {
                    // the test's assertions say what went wrong
                }
            });
            try {
                OneShotHttp.Response response = OneShotHttp.get(
                        URI.create("http://127.0.0.1:" + server.getLocalPort() + "/stats?x=1"), headers, Duration.ofSeconds(3));
                assertThat(request.toString(), containsString("GET /stats?x=1 HTTP/1.1\r\n"));
                assertThat(request.toString(), containsString("Connection: close\r\n"));
                return response;
            } finally {
                done.countDown();
                serving.join();
            }
        }
    }

    @Test
    void readsAContentLengthBodyFromAConnectionLeftOpen() throws Exception {
        OneShotHttp.Response response = exchange(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"served\":42}", Map.of());
        assertThat(response.status(), is(200));
        assertThat(response.header("content-type").orElseThrow(), is("application/json"));
        assertThat(response.body(), is("{\"served\":42}"));
    }

    @Test
    void readsAChunkedBody() throws Exception {
        OneShotHttp.Response response = exchange(
                "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n3;x=y\r\n12}\r\n0\r\n\r\n",
                Map.of("Accept", "application/json"));
        assertThat(response.status(), is(503));
        assertThat(response.body(), is("{\"a\":12}"));
    }

    @Test
    void somethingElseThanHttpIsAnError() {
        IOException e = assertThrows(IOException.class, () -> exchange("SSH-2.0-OpenSSH_9.6\r\n\r\n", Map.of()));
        assertThat(e.getMessage(), containsString("not an HTTP/1.x answer: SSH-2.0"));
    }
}
