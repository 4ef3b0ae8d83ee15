package io.revenant.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /health} on a worker's loopback admin listener: the worker's own check before it
 * reports READY, and the supervisor's watchdog probe. Reads only the status line: that is all it
 * needs, and it does not depend on the worker closing the connection after it (Helidon 4.5.0 alone
 * did not; the worker's {@code ConnectionRules} does).
 */
public final class HealthProbe {

    private HealthProbe() {
    }

    /** {@code "200"} when healthy, otherwise the status or what went wrong. */
    public static String status(int adminPort, int timeoutMillis) {
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
