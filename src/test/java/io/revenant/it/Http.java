package io.revenant.it;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately plain HTTP/1.1 client: one fresh TCP connection per request
 * ({@code Connection: close}), so every request is a new chance for the kernel to pick a worker.
 * Its exceptions say how a request failed: {@link java.net.ConnectException} (refused),
 * {@link NoResponseException} and {@link BrokenResponseException} (the connection broke),
 * {@link SocketTimeoutException} (no answer in time).
 */
final class Http {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

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

    /** The connection was closed or reset before a single response byte arrived. */
    static final class NoResponseException extends IOException {
        NoResponseException(IOException cause) {
            super(cause.toString(), cause);
        }
    }

    /** The connection was closed or reset in the middle of the response. */
    static final class BrokenResponseException extends IOException {
        BrokenResponseException(String message) {
            super(message);
        }
    }

    private Http() {
    }

    static Response get(int port, String path) throws IOException {
        return request(port, "GET", path, "Accept: application/json\r\n", TIMEOUT);
    }

    static Response request(int port, String method, String path, String headers) throws IOException {
        return request(port, method, path, headers, TIMEOUT);
    }

    /** {@code timeout} bounds the connect and each read. */
    static Response request(int port, String method, String path, String headers, Duration timeout)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headers
                           + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                throw new NoResponseException(e);
            }
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1024);
            // read by Content-Length: Helidon 4.5.0 answers "Connection: close" but leaves the socket open
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b;
                try {
                    b = in.read();
                } catch (SocketTimeoutException e) {
                    throw e;
                } catch (IOException e) {
                    if (head.isEmpty()) {
                        throw new NoResponseException(e);
                    }
                    throw new BrokenResponseException(e + " after '" + head + "'");
                }
                if (b < 0 && head.isEmpty()) {
                    throw new NoResponseException(new IOException("closed before any response byte"));
                }
                if (b < 0) {
                    throw new BrokenResponseException("connection closed after '" + head + "'");
                }
                head.append((char) b);
            }
            Matcher length = CONTENT_LENGTH.matcher(head);
            if (!head.toString().startsWith("HTTP/1.1 ") || !length.find()) {
                throw new IOException("not an HTTP response with Content-Length: '" + head + "'");
            }
            int expected = Integer.parseInt(length.group(1));
            byte[] body;
            try {
                body = in.readNBytes(expected);
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                throw new BrokenResponseException(e + " in the body after '" + head + "'");
            }
            if (body.length < expected) {
                throw new BrokenResponseException("closed after " + body.length + " of " + expected + " body bytes");
            }
            return new Response(Integer.parseInt(head.substring(9, 12)), new String(body, StandardCharsets.UTF_8));
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
