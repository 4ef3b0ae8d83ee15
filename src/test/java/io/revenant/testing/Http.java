package io.revenant.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.revenant.stack.WorkerReply;

/**
 * The tests' one HTTP/1.1 client, deliberately plain: one fresh TCP connection per request
 * ({@code Connection: close}), so every request is a new chance for the kernel to pick a worker,
 * no pooled connection to a dead worker and no retry hiding a failure. Its exceptions say how a
 * request failed: {@link java.net.ConnectException} (refused), {@link NoResponseException} and
 * {@link BrokenResponseException} (the connection broke), {@link SocketTimeoutException} (no
 * answer in time).
 */
public final class Http {

    /** Longer than nginx's whole retry budget (read timeout 11 s + connects), so nginx decides, not us. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);
    public static final String ACCEPT_JSON = "Accept: application/json\r\n";

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)");
    private static final Pattern CHUNKED = Pattern.compile("(?i)\r\ntransfer-encoding: *chunked");
    private static final Pattern FIELD = Pattern.compile("\"([a-z-]+)\":\"?([^,\"}]*)\"?");

    /** Status and body of one answer. */
    public record Response(int status, String body) {

        /** A field of a flat JSON object body, e.g. {@code field("pid")}. */
        public String field(String name) {
            Matcher matcher = FIELD.matcher(body);
            while (matcher.find()) {
                if (matcher.group(1).equals(name)) {
                    return matcher.group(2);
                }
            }
            throw new IllegalStateException("no field " + name + " in " + body);
        }

        /** Who answered, when this is a 2xx with a worker's JSON identity. */
        public Optional<WorkerReply> worker() {
            return status / 100 == 2 ? WorkerReply.parse(body) : Optional.empty();
        }
    }

    /** The connection was closed or reset before a single response byte arrived. */
    public static final class NoResponseException extends IOException {
        NoResponseException(IOException cause) {
            super(cause.toString(), cause);
        }

        /** Reset (RST) rather than closed (FIN). */
        public boolean reset() {
            return String.valueOf(getCause().getMessage()).toLowerCase(java.util.Locale.ROOT).contains("reset");
        }
    }

    /** The connection was closed or reset in the middle of the response. */
    public static final class BrokenResponseException extends IOException {
        BrokenResponseException(String message) {
            super(message);
        }
    }

    private Http() {
    }

    /** {@code GET path} on 127.0.0.1:{@code port}, asking for JSON. */
    public static Response get(int port, String path) throws IOException {
        return request(port, "GET", path, ACCEPT_JSON, TIMEOUT);
    }

    public static Response request(int port, String method, String path, String headers) throws IOException {
        return request(port, method, path, headers, TIMEOUT);
    }

    public static Response request(int port, String method, String path, String headers, Duration timeout)
            throws IOException {
        return request("127.0.0.1", port, method, path, headers, timeout);
    }

    /** The response, or empty on any I/O failure (for polling). */
    public static Optional<Response> tryGet(int port, String path) {
        try {
            return Optional.of(get(port, path));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code GET} of a URI (e.g. through nginx), asking for JSON. */
    public static Response get(URI uri) throws IOException {
        return request(uri, "GET");
    }

    public static Response post(URI uri) throws IOException {
        return request(uri, "POST");
    }

    private static Response request(URI uri, String method) throws IOException {
        String path = uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return request(uri.getHost(), uri.getPort(), method, uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery(),
                       ACCEPT_JSON, TIMEOUT);
    }

    /** Who answered a {@code GET uri}; empty when the call failed in any way (for polling). */
    public static Optional<WorkerReply> identify(URI uri) {
        try {
            return get(uri).worker();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** One request on a new connection; {@code timeout} bounds the connect and each read. */
    public static Response request(String host, int port, String method, String path, String headers, Duration timeout)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nConnection: close\r\n"
                           + headers + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                throw new NoResponseException(e);
            }
            InputStream in = new BufferedInputStream(socket.getInputStream(), 4096);
            // read by Content-Length: Helidon 4.5.0 answers "Connection: close" but leaves the socket open
            String head = head(in);
            if (!head.startsWith("HTTP/1.1 ")) {
                throw new IOException("not an HTTP/1.1 response: '" + head + "'");
            }
            int status = Integer.parseInt(head.substring(9, 12));
            Matcher length = CONTENT_LENGTH.matcher(head);
            byte[] body;
            if (length.find()) {
                body = body(in, Integer.parseInt(length.group(1)), head);
            } else if (CHUNKED.matcher(head).find()) {
                body = chunked(in, head);
            } else {
                throw new IOException("an HTTP response with neither Content-Length nor chunked: '" + head + "'");
            }
            return new Response(status, new String(body, StandardCharsets.UTF_8));
        }
    }

    private static String head(InputStream in) throws IOException {
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
        return head.toString();
    }

    private static byte[] body(InputStream in, int expected, String head) throws IOException {
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
        return body;
    }

    private static byte[] chunked(InputStream in, String head) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in, head);
            int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
            if (size == 0) {
                while (!line(in, head).isEmpty()) {
                    // trailer fields: none expected, read to the blank line
                }
                return body.toByteArray();
            }
            body.write(body(in, size, head));
            line(in, head);
        }
    }

    private static String line(InputStream in, String head) throws IOException {
        StringBuilder line = new StringBuilder();
        while (line.length() < 2 || line.charAt(line.length() - 2) != '\r' || line.charAt(line.length() - 1) != '\n') {
            int b = in.read();
            if (b < 0) {
                throw new BrokenResponseException("closed in a chunked body after '" + head + "'");
            }
            line.append((char) b);
        }
        return line.substring(0, line.length() - 2);
    }
}
