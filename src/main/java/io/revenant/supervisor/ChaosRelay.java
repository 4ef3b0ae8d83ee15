package io.revenant.supervisor;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard's "kill a worker" button: {@code POST /chaos/kill} on the admin listener is sent
 * on to the public port, where whichever worker accepts it crashes, exactly as for a client's
 * kill. The dashboard cannot call the public port itself: it is another origin, and a bearer
 * token would need CORS there. The token travels as the browser sent it and is checked by the
 * worker alone, so the supervisor's relay grants nothing the public port does not.
 *
 * <p>A plain socket, as {@code HealthProbe}: one request, one answer.
 */
final class ChaosRelay {

    /** The worker answers a kill in well under this; a longer wait means a stuck pool. */
    private static final int TIMEOUT_MS = 5000;
    /** A kill's answer is one identity JSON; anything longer is cut. */
    private static final int MAX_ANSWER = 16 * 1024;

    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.[01] (\\d{3})");
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d{1,9})\r\n");

    /** What the worker answered: its status code and body. */
    record Answer(int status, String body) {
    }

    private final String host;
    private final int port;

    /** @param serverHost {@code server.host}; a wildcard address is reached on loopback */
    ChaosRelay(String serverHost, int port) {
        this.host = switch (serverHost) {
            case "0.0.0.0", "" -> "127.0.0.1";
            case "::", "[::]" -> "::1";
            default -> serverHost;
        };
        this.port = port;
    }

    Answer kill(Optional<String> authorization) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            String auth = authorization.filter(value -> value.chars().noneMatch(c -> c == '\r' || c == '\n'))
                    .map(value -> "Authorization: " + value + "\r\n").orElse("");
            out.write(("POST /chaos/kill HTTP/1.1\r\nHost: localhost\r\n" + auth
                       + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        }
    }

    /** By Content-Length, not to the end: a worker that answers 401 may keep the connection open. */
    private Answer read(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < MAX_ANSWER && (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n"))) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection to " + host + ":" + port + " closed before an answer: " + head);
            }
            head.append((char) b);
        }
        Matcher status = STATUS.matcher(head);
        if (!status.lookingAt()) {
            throw new IOException("no HTTP answer from " + host + ":" + port + ": " + head);
        }
        Matcher length = CONTENT_LENGTH.matcher(head);
        byte[] body = length.find() ? in.readNBytes(Math.min(MAX_ANSWER, Integer.parseInt(length.group(1))))
                : in.readNBytes(MAX_ANSWER);
        return new Answer(Integer.parseInt(status.group(1)), new String(body, StandardCharsets.UTF_8));
    }
}
