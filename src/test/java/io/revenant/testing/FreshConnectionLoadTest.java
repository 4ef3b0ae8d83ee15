package io.revenant.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/**
 * The kit's load client counts each way a fresh connection can fail apart, against a loopback
 * server that fails in one way on purpose. The integration tests assert "none refused" and "few
 * failed" on these counts, so a misfiled kind would make them pass or fail for the wrong reason.
 */
class FreshConnectionLoadTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final String IDENTITY = "{\"instance\":\"i-1\",\"worker\":7,\"slot\":1,\"pid\":4211,\"version\":\"t\"}";

    /** How the test server treats each connection. */
    private enum Behaviour { ANSWER, ANSWER_CHUNKED, CLOSE, RESET, STATUS_503 }

    private static Thread serve(ServerSocket server, Behaviour behaviour) {
        return Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    readHead(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    switch (behaviour) {
                        case ANSWER -> out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + IDENTITY.length() + "\r\n\r\n"
                                                  + IDENTITY).getBytes(StandardCharsets.US_ASCII));
                        case ANSWER_CHUNKED -> out.write(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                          + Integer.toHexString(IDENTITY.length()) + "\r\n" + IDENTITY
                                                          + "\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        case STATUS_503 -> out.write("HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n"
                                                             .getBytes(StandardCharsets.US_ASCII));
                        case RESET -> socket.setSoLinger(true, 0);   // close sends RST
                        case CLOSE -> {
                            // close sends FIN: the request was read, so no unread data turns it into RST
                        }
                    }
                } catch (IOException e) {
                    // the server was closed, or a client gave up: next connection
                }
            }
        });
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
    }

    private static FreshConnectionLoad load(int port) {
        return new FreshConnectionLoad("test", "127.0.0.1", port, "/", 1, Duration.ofSeconds(30), Duration.ofSeconds(5),
                                       FreshConnectionLoad.REVENANT);
    }

    private static FreshConnectionLoad.Report run(Behaviour behaviour) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            serve(server, behaviour);
            try (FreshConnectionLoad load = load(server.getLocalPort())) {
                Await.until(() -> "5 requests: " + load.summary(), DEADLINE, () -> load.requests() >= 5);
                return load.stop();
            }
        }
    }

    @Test
    void aWholeAnswerFromTheAppIsAnsweredAndSaysWho() throws Exception {
        FreshConnectionLoad.Report report = run(Behaviour.ANSWER);
        assertThat(report.toString(), report.failed(), is(0L));
        assertThat(report.answeredBy(), contains("i-1/4211/7"));
    }

    @Test
    void aChunkedAnswerIsReadWhole() throws Exception {
        FreshConnectionLoad.Report report = run(Behaviour.ANSWER_CHUNKED);
        assertThat(report.toString(), report.failed(), is(0L));
    }

    @Test
    void nothingListeningIsRefused() throws Exception {
        int port;
        try (ServerSocket gone = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = gone.getLocalPort();
        }
        try (FreshConnectionLoad load = load(port)) {
            Await.until(load::summary, DEADLINE, () -> load.refused() >= 5);
            load.stop();
            assertThat(load.summary(), load.failed(), is(load.refused()));
            assertThat(load.summary(), load.reset(), is(0L));
        }
    }

    @Test
    void aCloseBeforeAnyByteIsClosedBeforeAnswer() throws Exception {
        FreshConnectionLoad.Report report = run(Behaviour.CLOSE);
        assertThat(report.toString(), report.failuresByKind().keySet(), contains("closed-before-answer"));
        assertThat(report.toString(), report.refused(), is(0L));
    }

    @Test
    void aResetBeforeAnyByteIsReset() throws Exception {
        FreshConnectionLoad.Report report = run(Behaviour.RESET);
        assertThat(report.toString(), report.failuresByKind().keySet(), contains("reset"));
    }

    @Test
    void anotherStatusIsOtherNotReset() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            serve(server, Behaviour.STATUS_503);
            try (FreshConnectionLoad load = load(server.getLocalPort())) {
                Await.until(load::summary, DEADLINE, () -> load.requests() >= 5);
                load.stop();
                assertThat(load.summary(), load.other(), is(load.failed()));
                assertThat(load.summary(), load.answered(), is(0L));
                assertThat(load.stop().failuresByKind().keySet(), contains("status-503"));
            }
        }
    }
}
