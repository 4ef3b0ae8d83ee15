package io.revenant.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request per new connection, on a plain socket: what a respawn probe needs (no pooled
 * connection to a dead worker, no client-side retry hiding the time). The body is read by its
 * Content-Length; Helidon keeps a connection open after {@code Connection: close} until the
 * client closes it.
 */
final class RawHttp {

    private static final Pattern WORKER = Pattern.compile("\"worker\":(\\d+)");

    /** Status line code and body. */
    record Answer(int status, String body) {

        /** The worker id of a JSON identity answer. */
        Optional<Long> worker() {
            Matcher m = WORKER.matcher(body);
            return status / 100 == 2 && m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
        }
    }

    private RawHttp() {
    }

    static Answer get(int port, String path, int timeoutMs) throws IOException {
        return send(port, "GET", path, timeoutMs);
    }

    static Answer post(int port, String path, int timeoutMs) throws IOException {
        return send(port, "POST", path, timeoutMs);
    }

    /** One {@code method path} request on a new connection to 127.0.0.1:{@code port}. */
    static Answer send(int port, String method, String path, int timeoutMs) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
                       + (method.equals("POST") ? "Content-Length: 0\r\n" : "")
                       + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed before the end of the answer's head");
                }
                head.append((char) b);
            }
            String[] lines = head.toString().split("\r\n");
            int length = 0;
            for (String line : lines) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring("content-length:".length()).trim());
                }
            }
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            return new Answer(status, new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }
    }
}
