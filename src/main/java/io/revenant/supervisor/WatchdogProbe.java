package io.revenant.supervisor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One HTTP health probe of a worker's loopback admin listener, run on a virtual thread. The
 * answer comes from the worker's request machinery, so a worker that is alive but cannot serve
 * (deadlocked, SIGSTOPped, out of threads) fails it.
 */
final class WatchdogProbe {

    private WatchdogProbe() {
    }

    static void start(long worker, int adminPort, Duration timeout, Consumer<Event> events) {
        Thread.ofVirtual().name("probe-" + worker).start(() -> {
            String detail = probe(adminPort, (int) Math.max(1, timeout.toMillis()));
            events.accept(new Event.ProbeAnswered(worker, detail.equals("200"), detail));
        });
    }

    /** "200" when healthy, otherwise what went wrong. */
    static String probe(int adminPort, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", adminPort), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                              .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return status.startsWith("HTTP/1.1 ") && status.length() == 12 ? status.substring(9) : "no-http-answer";
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ":" + e.getMessage();
        }
    }
}
