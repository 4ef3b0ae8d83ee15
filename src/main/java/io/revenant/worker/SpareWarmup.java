package io.revenant.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Warms a hot spare before it is needed: serves a few hundred requests through its own server
 * on the loopback placeholder, so classes are loaded and the hot path is compiled by the time
 * the spare adopts the public socket. That server is the one that then takes real traffic: a
 * takeover is a descriptor swap, not a server start.
 */
final class SpareWarmup {

    private static final int REQUESTS = 400;

    private SpareWarmup() {
    }

    static void run(int placeholderPort) {
        try {
            for (int i = 0; i < REQUESTS; i++) {
                request(placeholderPort, i % 2 == 0 ? "text/plain" : "application/json");
            }
        } catch (IOException e) {
            // a colder spare is still a spare
        }
    }

    private static void request(int port, String accept) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: localhost\r\nAccept: " + accept + "\r\nConnection: close\r\n\r\n")
                              .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            in.readNBytes(64);
        }
    }
}
