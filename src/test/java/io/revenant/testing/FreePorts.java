package io.revenant.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for the processes a test starts, below Linux's ephemeral range
 * (32768–60999): a port the kernel hands out as "free" comes from that range, where the tests'
 * own client connections take their local ports too, and one of them may hold it by the time a
 * worker binds it.
 */
public final class FreePorts {

    private static final int FIRST = 20_000;
    private static final int COUNT = 12_000;

    private FreePorts() {
    }

    /**
     * A port nothing listens on now, other than {@code taken}: two draws can meet (one run drew
     * the same port for the public and the admin listener, and the supervisor refused the config).
     */
    public static int other(int... taken) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = FIRST + ThreadLocalRandom.current().nextInt(COUNT);
            if (Arrays.stream(taken).anyMatch(used -> used == port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException inUse) {
                // try another
            }
        }
        throw new IOException("no free port found in " + FIRST + "-" + (FIRST + COUNT - 1));
    }
}
