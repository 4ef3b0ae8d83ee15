package io.revenant.protocol;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one HTTP client of main code: one plain HTTP/1.1 request per connection
 * ({@code Connection: close}), answer read by {@code Content-Length} or chunked framing, so it
 * never waits for the server to close (Helidon 4.5.0 keeps the connection open after a
 * {@code Connection: close} request unless a filter closes it). Used by the supervisor's watchdog
 * and {@code /status}, the worker's self-check and spare warm-up, and the tools (stack
 * readiness, deploy, {@code revenant status}).
 *
 * <p>Why hand-written: measured in the supervisor's JVM (its @argfile, 16 MB heap), five requests
 * through {@code java.net.http.HttpClient} cost 600 ms and 23 MiB of RSS (its selector thread,
 * executor and the HTTP/2-capable stack), a third of the supervisor's whole footprint; a
 * plain socket costs neither. Helidon's WebClient would add a module and its service discovery to
 * every worker's start. What is needed here is small: loopback or LAN, no TLS, no redirects, no
 * keep-alive. The test kit's {@code Http} is this client with the tests' defaults; its failures
 * are typed ({@link NoAnswer}, {@link BrokenAnswer}, {@link SocketTimeoutException}, a refused
 * connect) because the load tests count them by kind.
 */
public final class OneShotHttp {

    /** Largest head (status line and headers) read; an answer with more is not ours. */
    private static final int MAX_HEAD = 16 * 1024;
    /** Largest body read: admin documents are a few KiB. */
    private static final int MAX_BODY = 4 * 1024 * 1024;

    private OneShotHttp() {
    }

    /**
     * The connection was closed or reset before a single byte of the answer arrived (or the
     * request could not be written); the cause says which.
     */
    public static final class NoAnswer extends IOException {
        NoAnswer(IOException cause) {
            super(cause.toString(), cause);
        }
    }

    /** The connection was closed or reset in the middle of the answer. */
    public static final class BrokenAnswer extends IOException {
        BrokenAnswer(String message) {
            super(message);
        }
    }

    /**
     * An answer.
     *
     * @param status  the status code
     * @param headers header names in lower case, the last value of each
     * @param body    the body as UTF-8
     */
    public record Response(int status, Map<String, String> headers, String body) {

        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    /** {@code GET uri} with the given extra headers; {@code timeout} bounds the connect and each read. */
    public static Response get(URI uri, Map<String, String> headers, Duration timeout) throws IOException {
        return exchange("GET", uri, headers, timeout);
    }

    /** {@code method uri} without a body. */
    public static Response exchange(String method, URI uri, Map<String, String> headers, Duration timeout)
            throws IOException {
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("only http://host:port/ URIs: " + uri);
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                      + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        int millis = (int) Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE);
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(uri.getHost(), port), millis);
            socket.setSoTimeout(millis);
            StringBuilder request = new StringBuilder(128).append(method).append(' ').append(path)
                    .append(" HTTP/1.1\r\nHost: ").append(uri.getHost()).append(':').append(port)
                    .append("\r\nConnection: close\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            if (!method.equals("GET") && !method.equals("HEAD")) {
                request.append("Content-Length: 0\r\n");
            }
            try {
                OutputStream out = socket.getOutputStream();
                out.write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new NoAnswer(e);
            }
            return read(new BufferedInputStream(socket.getInputStream(), 4096), method.equals("HEAD"));
        }
    }

    static Response read(InputStream in, boolean noBody) throws IOException {
        String[] head = readHead(in).split("\r\n");
        String[] statusLine = head[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.") || !statusLine[1].matches("\\d{3}")) {
            throw new IOException("not an HTTP/1.x answer: " + head[0]);
        }
        int status = Integer.parseInt(statusLine[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            if (colon > 0) {
                headers.put(head[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).strip());
            }
        }
        byte[] body;
        if (noBody || status == 204 || status == 304 || status / 100 == 1) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            body = readChunked(in);
        } else if (headers.containsKey("content-length")) {
            body = readExactly(in, contentLength(headers.get("content-length")));
        } else {
            body = in.readNBytes(MAX_BODY);
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int matched = 0;
        while (matched < 4) {
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                throw head.size() == 0 ? new NoAnswer(e) : new BrokenAnswer(e + " after '" + text(head) + "'");
            }
            if (b < 0) {
                throw head.size() == 0 ? new NoAnswer(new EOFException("closed before any answer byte"))
                        : new BrokenAnswer("closed after '" + text(head) + "'");
            }
            if (head.size() >= MAX_HEAD) {
                throw new IOException("answer head over " + MAX_HEAD + " bytes");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = text(head);
        return text.substring(0, text.length() - 4);
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    private static int contentLength(String value) throws IOException {
        try {
            long length = Long.parseLong(value.strip());
            if (length < 0 || length > MAX_BODY) {
                throw new IOException("Content-Length " + value + " outside 0.." + MAX_BODY);
            }
            return (int) length;
        } catch (NumberFormatException e) {
            throw new IOException("Content-Length is not a number: " + value);
        }
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(1024);
        while (true) {
            String line = readLine(in);
            int semicolon = line.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semicolon < 0 ? line : line.substring(0, semicolon)).strip(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + line);
            }
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailer fields: not used
                }
                return body.toByteArray();
            }
            if (size < 0 || body.size() + size > MAX_BODY) {
                throw new IOException("chunked body over " + MAX_BODY + " bytes");
            }
            body.write(readExactly(in, size));
            if (!readLine(in).isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(16);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new BrokenAnswer("closed inside the chunked body");
            }
            if (line.length() > 1024) {
                throw new IOException("chunk line over 1024 bytes");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] bytes;
        try {
            bytes = in.readNBytes(length);
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            throw new BrokenAnswer(e + " in the body");
        }
        if (bytes.length < length) {
            throw new BrokenAnswer("closed after " + bytes.length + " of " + length + " body bytes");
        }
        return bytes;
    }
}
