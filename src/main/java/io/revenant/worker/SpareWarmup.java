package io.revenant.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.helidon.webserver.WebServer;

import io.revenant.config.WorkerIdentity;
import io.revenant.config.WorkerSettings;

/**
 * Warms a hot spare before it is needed: serves a few hundred requests through the real routing
 * on a throwaway loopback listener, so classes are loaded and the hot path is compiled by the
 * time the spare binds the public port and takes real traffic.
 */
final class SpareWarmup {

    private static final int REQUESTS = 400;
    /** Server starts and stops: the bind at takeover runs the same code, so it runs warm. */
    private static final int ROUNDS = 3;

    private SpareWarmup() {
    }

    static void run(WorkerSettings settings, WorkerIdentity provisional) {
        for (int round = 0; round < ROUNDS; round++) {
            serveThrowaway(settings, provisional, REQUESTS / ROUNDS);
        }
    }

    private static void serveThrowaway(WorkerSettings settings, WorkerIdentity provisional, int requests) {
        WebServer warm = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(routing -> WorkerServer.publicRouting(routing, settings, provisional,
                                                               new RequestBudget(0, () -> { }), () -> { }))
                .build()
                .start();
        try {
            for (int i = 0; i < requests; i++) {
                request(warm.port(), i % 2 == 0 ? "text/plain" : "application/json");
            }
        } catch (IOException e) {
            // a colder spare is still a spare
        } finally {
            warm.stop();
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
