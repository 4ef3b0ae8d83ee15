package io.revenant.net;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

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
}
