package io.revenant.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately plain HTTP/1.1 client: one fresh TCP connection per request
 * ({@code Connection: close}), so every request is a new chance for the kernel to pick a worker.
 */
final class Http {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");
    private static final Pattern FIELD = Pattern.compile("\"([a-z-]+)\":\"?([^,\"}]*)\"?");

    record Response(int status, String body) {

        /** A field of a flat JSON object body, e.g. {@code field("pid")}. */
        String field(String name) {
            Matcher matcher = FIELD.matcher(body);
            while (matcher.find()) {
                if (matcher.group(1).equals(name)) {
                    return matcher.group(2);
                }
            }
            throw new IllegalStateException("no field " + name + " in " + body);
        }
    }

    /**
     * The connection failed before a single response byte arrived: the request may be retried if
     * it is idempotent (RFC 9110, 9.2.2), as browsers and nginx do.
     */
    static final class NoResponseException extends IOException {
        NoResponseException(IOException cause) {
            super(cause.toString(), cause);
        }
    }

    private Http() {
    }

    static Response get(int port, String path) throws IOException {
        return request(port, "GET", path, "Accept: application/json\r\n");
    }

    static Response request(int port, String method, String path, String headers) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headers
                       + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            // read by Content-Length: Helidon 4.5.0 answers "Connection: close" but leaves the socket open
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b;
                try {
                    b = in.read();
                } catch (IOException e) {
                    if (head.isEmpty()) {
                        throw new NoResponseException(e);
                    }
                    throw e;
                }
                if (b < 0 && head.isEmpty()) {
                    throw new NoResponseException(new IOException("closed before any response byte"));
                }
                if (b < 0) {
                    throw new IOException("connection closed after '" + head + "'");
                }
                head.append((char) b);
            }
            Matcher length = CONTENT_LENGTH.matcher(head);
            if (!head.toString().startsWith("HTTP/1.1 ") || !length.find()) {
                throw new IOException("not an HTTP response with Content-Length: '" + head + "'");
            }
            String body = new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
            return new Response(Integer.parseInt(head.substring(9, 12)), body);
        }
    }

    /** The response, or empty on any I/O failure (for polling). */
    static java.util.Optional<Response> tryGet(int port, String path) {
        try {
            return java.util.Optional.of(get(port, path));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }
}
