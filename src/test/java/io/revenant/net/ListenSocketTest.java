package io.revenant.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ListenSocketTest {

    @Test
    void opensAListeningSocketWithSoReusePort() throws Exception {
        int port = freePort();
        try (ListenSocket socket = ListenSocket.open("127.0.0.1", port, 16)) {
            Optional<ListeningSockets.Listener> listener = ListeningSockets.inspect(socket.fd());
            assertThat(listener.isPresent(), is(true));
            assertThat(listener.get().port(), is(port));
            assertThat(listener.get().reusePort(), is(true));
            assertThat(socket.inode(), is(Descriptors.socketInode(socket.fd())));
            // the kernel completes the handshake and queues the connection though nobody accepts
            try (Socket client = new Socket()) {
                client.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                assertThat(client.isConnected(), is(true));
            }
        }
    }

    @Test
    void aSecondSupervisorCanJoinThePort() throws Exception {
        int port = freePort();
        try (ListenSocket first = ListenSocket.open("127.0.0.1", port, 16);
             ListenSocket second = ListenSocket.open("127.0.0.1", port, 16)) {
            assertThat(ListeningSockets.onPort(port).size(), is(2));
            assertThat(first.inode() == second.inode(), is(false));
        }
    }

    @Test
    void aPortHeldWithoutSoReusePortIsNamed() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            ListenSocket.BindFailure failure = assertThrows(ListenSocket.BindFailure.class,
                    () -> ListenSocket.open("127.0.0.1", plain.getLocalPort(), 16));
            assertThat(failure.getMessage(), containsString("cannot listen on 127.0.0.1:" + plain.getLocalPort()));
            assertThat(failure.getMessage(), containsString("is in use"));
        }
    }

    @Test
    void anAddressOfAnotherHostIsNamedAsSuch() {
        ListenSocket.BindFailure failure = assertThrows(ListenSocket.BindFailure.class,
                () -> ListenSocket.open("192.0.2.1", freePort(), 16));   // TEST-NET-1: on no interface here
        assertThat(failure.getMessage(), containsString("192.0.2.1 is not an address of this machine"));
    }

    @Test
    void aNameThatDoesNotResolveIsNamedAsSuch() {
        ListenSocket.BindFailure failure = assertThrows(ListenSocket.BindFailure.class,
                () -> ListenSocket.open("no-such-host.invalid", 3000, 16));
        assertThat(failure.key(), is("server.host"));
        assertThat(failure.getMessage(), is("cannot listen on no-such-host.invalid:3000: \"no-such-host.invalid\" is not"
                + " an IP address and does not resolve to one; " + ListenSocket.HOST_ALLOWED));
    }

    // issue 11 finding 8: admin.host / admin.port failures named no key (a Helidon stack trace, or exit 1)
    @Test
    void theProbeNamesTheAdminKeys() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            ListenSocket.BindFailure inUse = ListenSocket.probe("admin", "127.0.0.1", plain.getLocalPort()).orElseThrow();
            assertThat(inUse.key(), is("admin.port"));
            assertThat(inUse.getMessage(), containsString("port " + plain.getLocalPort() + " is in use"));
        }
        ListenSocket.BindFailure notOurs = ListenSocket.probe("admin", "192.0.2.1", 9000).orElseThrow();
        assertThat(notOurs.key(), is("admin.host"));
        assertThat(notOurs.getMessage(), containsString("192.0.2.1 is not an address of this machine; admin.host must be"));
        assertThat(ListenSocket.probe("admin", "localhost", 0).isPresent(), is(false));
    }

    @Test
    void aPassedCopyIsTheSameSocketAndOutlivesTheOriginal() throws Exception {
        int port = freePort();
        Path dir = Files.createTempDirectory("revenant-test-");
        Path path = dir.resolve("pass.sock");
        int server = DescriptorPassing.listen(path);
        try (ListenSocket socket = ListenSocket.open("127.0.0.1", port, 16)) {
            java.util.concurrent.atomic.AtomicLong peer = new java.util.concurrent.atomic.AtomicLong();
            Thread sender = Thread.ofPlatform().start(() -> {
                int connection = DescriptorPassing.accept(server);
                peer.set(DescriptorPassing.peerPid(connection));
                DescriptorPassing.send(connection, socket.fd());
                Descriptors.closeQuietly(connection);
            });
            int[] received = DescriptorPassing.receive(path, 2000);
            sender.join();
            assertThat(peer.get(), is(ProcessHandle.current().pid()));
            assertThat(received.length, is(1));
            assertThat(Descriptors.socketInode(received[0]), is(socket.inode()));
            socket.close();
            // the received copy still listens: the queue survives the original descriptor's close
            try (Socket client = new Socket()) {
                client.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                assertThat(ListeningSockets.inspect(received[0]).isPresent(), is(true));
            } finally {
                Descriptors.closeQuietly(received[0]);
            }
        } finally {
            DescriptorPassing.shutdown(server);
            Descriptors.closeQuietly(server);
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void receivingFromAPathWhereNothingListensFails() throws Exception {
        Path dir = Files.createTempDirectory("revenant-test-");
        NativeCallException failure = assertThrows(NativeCallException.class,
                () -> DescriptorPassing.receive(dir.resolve("nothing.sock"), 500));
        assertThat(failure.getMessage(), containsString("nothing.sock"));
        Files.deleteIfExists(dir);
    }

    @Test
    void aPeerThatClosesWithoutSendingGivesNoDescriptor() throws Exception {
        Path dir = Files.createTempDirectory("revenant-test-");
        Path path = dir.resolve("refuse.sock");
        int server = DescriptorPassing.listen(path);
        try {
            Thread refuser = Thread.ofPlatform().start(() -> Descriptors.closeQuietly(DescriptorPassing.accept(server)));
            assertThat(DescriptorPassing.receive(path, 2000).length, is(0));
            refuser.join();
        } finally {
            DescriptorPassing.shutdown(server);
            Descriptors.closeQuietly(server);
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}
