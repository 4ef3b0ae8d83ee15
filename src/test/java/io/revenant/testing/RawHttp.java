package io.revenant.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * HTTP/1.x read off a raw socket, for the tests that must choose every byte and every connection
 * themselves: kept-alive and pipelined requests, HTTP/1.0, a header sent byte by byte, a client
 * that never retries ({@link WrkLoad}). Everything else uses {@link Http}, on main code's client.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /**
     * One response: its status, its head as sent (status line and headers, up to the blank line)
     * and its body of Content-Length bytes.
     */
    public record Response(int status, String head, String body) {

        /** A header's value, lower-cased, e.g. {@code header("connection")} is {@code close}. */
        public Optional<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return head.lines().skip(1).map(line -> line.toLowerCase(Locale.ROOT))
                    .filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()).strip())
                    .findFirst();
        }

        /** Content-Length, when the response has one. */
        public OptionalInt contentLength() {
            return header("content-length").map(value -> OptionalInt.of(Integer.parseInt(value))).orElse(OptionalInt.empty());
        }

        /** Whether the server ends the connection after this response ({@code Connection: close}). */
        public boolean closes() {
            return header("connection").filter(value -> value.contains("close")).isPresent();
        }
    }

    /**
     * Reads one response from {@code in}, its body by Content-Length (none: an empty body).
     *
     * @throws EOFException    the connection ended before the head or the body was complete
     * @throws SocketException what came is not HTTP/1.x
     */
    public static Response read(InputStream in) throws IOException {
        String head = head(in);
        if (!head.matches("(?s)HTTP/1\\.[01] \\d{3} .*")) {
            throw new SocketException("not an HTTP/1.x response: '" + head.lines().findFirst().orElse("") + "'");
        }
        int status = Integer.parseInt(head.substring(9, 12));
        Response headOnly = new Response(status, head, "");
        int length = headOnly.contentLength().orElse(0);
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("body cut at " + body.length + " of " + length + " bytes");
        }
        return new Response(status, head, new String(body, StandardCharsets.UTF_8));
    }

    /** The bytes up to and including the blank line that ends a head. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(head.size() == 0 ? "closed before any byte"
                        : "closed in the head: '" + head.toString(StandardCharsets.ISO_8859_1) + "'");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
