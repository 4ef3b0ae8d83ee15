package io.revenant.worker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The head (request line and headers, through the empty line) of a request on a connection that
 * began with an HTTP/1.0 request, made into the HTTP/1.1 head Helidon 4.5 accepts: Helidon answers
 * every HTTP/1.0 request line with 505, and so fails {@code ab}, {@code curl -0} and nginx's
 * default {@code proxy_http_version 1.0}.
 *
 * <p>An HTTP/1.0 request line gets version 1.1, {@code Connection: close} unless the client asked
 * for {@code keep-alive} (RFC 9112 §9.3: HTTP/1.0 is not persistent by default) and, when it has
 * none, a {@code Host} naming the listener (HTTP/1.0 did not require one, HTTP/1.1 does). Nothing
 * else changes: header lines and their order stay as sent, so Helidon validates them as usual.
 * The answer's status line says HTTP/1.1, which an HTTP/1.0 client accepts (RFC 9110 §6.2).
 *
 * @param bytes       the head to hand to Helidon
 * @param persistent  the connection may carry another request after this one
 * @param bodyLength  bytes of body after this head; empty when the framing is not a plain, single
 *                    Content-Length (Transfer-Encoding, conflicting or invalid lengths): then the
 *                    caller stops following requests on the connection and leaves the rest to
 *                    Helidon, which rejects what is malformed
 */
record Http10Head(byte[] bytes, boolean persistent, OptionalLong bodyLength) {

    private static final String HTTP_1_0 = " HTTP/1.0";
    private static final String CRLF = "\r\n";

    /**
     * @param head      one complete head, ending with the empty line (CRLF CRLF)
     * @param authority host[:port] of the listener, for a request without a Host header
     */
    static Http10Head of(byte[] head, String authority) {
        // ISO-8859-1 maps each byte to one char and back, so unknown bytes pass through untouched
        String text = new String(head, StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>(List.of(text.substring(0, text.length() - 4).split(CRLF, -1)));
        String requestLine = lines.getFirst();
        boolean http10 = requestLine.endsWith(HTTP_1_0);
        boolean keepAlive = false;
        boolean close = false;
        boolean host = false;
        boolean framed = true;
        List<String> lengths = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                framed = false;
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "connection" -> {
                    for (String token : value.split(",")) {
                        keepAlive |= token.trim().equalsIgnoreCase("keep-alive");
                        close |= token.trim().equalsIgnoreCase("close");
                    }
                }
                case "host" -> host = true;
                case "content-length" -> lengths.addAll(List.of(value.split(",", -1)));
                case "transfer-encoding" -> framed = false;
                default -> {
                    // other headers do not change the framing or the persistence
                }
            }
        }
        boolean persistent = http10 ? keepAlive && !close : !close;
        if (http10) {
            lines.set(0, requestLine.substring(0, requestLine.length() - HTTP_1_0.length()) + " HTTP/1.1");
            if (!persistent && !close) {
                lines.add("Connection: close");
            }
            if (!host) {
                lines.add("Host: " + authority);
            }
        }
        byte[] bytes = (String.join(CRLF, lines) + CRLF + CRLF).getBytes(StandardCharsets.ISO_8859_1);
        return new Http10Head(bytes, persistent, framed ? bodyLength(lengths) : OptionalLong.empty());
    }

    /** Whether the request line (bytes up to its LF) is an HTTP/1.0 one. */
    static boolean isHttp10(String requestLine) {
        return requestLine.endsWith(HTTP_1_0 + "\r\n");
    }

    private static OptionalLong bodyLength(List<String> values) {
        if (values.isEmpty()) {
            return OptionalLong.of(0);
        }
        String first = values.getFirst().trim();
        if (!first.matches("\\d{1,18}") || values.stream().anyMatch(value -> !value.trim().equals(first))) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(first));
    }
}
