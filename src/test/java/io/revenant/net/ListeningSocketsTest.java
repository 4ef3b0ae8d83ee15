package io.revenant.net;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ListeningSocketsTest {

    @Test
    void seesSoReusePortOnTheBoundSocket() throws Exception {
        try (ServerSocketChannel a = ServerSocketChannel.open(); ServerSocketChannel b = ServerSocketChannel.open()) {
            a.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            a.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) a.getLocalAddress()).getPort();
            b.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            b.bind(new InetSocketAddress("127.0.0.1", port));   // only possible because both set it
            List<ListeningSockets.Listener> found = ListeningSockets.onPort(port);
            assertThat(found, hasSize(2));
            assertThat(found.stream().allMatch(ListeningSockets.Listener::reusePort), is(true));
        }
    }

    @Test
    void seesWhenSoReusePortIsMissing() throws Exception {
        try (ServerSocketChannel plain = ServerSocketChannel.open()) {
            plain.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) plain.getLocalAddress()).getPort();
            List<ListeningSockets.Listener> found = ListeningSockets.onPort(port);
            assertThat(found, hasSize(1));
            assertThat(found.getFirst().reusePort(), is(false));
        }
    }

    @Test
    void ignoresSocketsOnOtherPorts() throws Exception {
        try (ServerSocketChannel other = ServerSocketChannel.open()) {
            other.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) other.getLocalAddress()).getPort();
            assertThat(ListeningSockets.onPort(port == 65535 ? 65534 : port + 1), hasSize(0));
        }
    }

    /** The one check of a borrowed socket (worker and hand-over): each fault named, SO_REUSEPORT apart. */
    @Test
    void mismatchNamesWhatDoesNotFit() throws Exception {
        try (ListenSocket lent = ListenSocket.open("127.0.0.1", 0, 4); ServerSocketChannel plain = ServerSocketChannel.open()) {
            int port = ListeningSockets.boundAddress(lent.fd()).getPort();
            assertEquals(Optional.empty(), ListeningSockets.mismatch(lent.fd(), port));
            assertEquals(Optional.empty(), ListeningSockets.mismatch(lent.fd(), "127.0.0.1", port));
            int other = port == 65535 ? 65534 : port + 1;
            assertEquals(Optional.of(new ListeningSockets.Mismatch("listens on port " + port + ", not on " + other, false)),
                         ListeningSockets.mismatch(lent.fd(), other));
            assertEquals(Optional.of(new ListeningSockets.Mismatch("is bound to 127.0.0.1, not 127.0.0.2", false)),
                         ListeningSockets.mismatch(lent.fd(), "127.0.0.2", port));
            plain.bind(new InetSocketAddress("127.0.0.1", 0));
            int plainPort = ((InetSocketAddress) plain.getLocalAddress()).getPort();
            int plainFd = ListeningSockets.onPort(plainPort).getFirst().fd();
            assertEquals(Optional.of(new ListeningSockets.Mismatch("has SO_REUSEPORT off", true)),
                         ListeningSockets.mismatch(plainFd, plainPort));
            assertEquals(Optional.of(new ListeningSockets.Mismatch("is not a listening TCP socket (SO_ACCEPTCONN is off)", false)),
                         ListeningSockets.mismatch(0, port));
        }
    }
}
