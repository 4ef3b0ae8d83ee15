package io.revenant.supervisor;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.revenant.net.DescriptorPassing;
import io.revenant.net.Descriptors;
import io.revenant.net.ListenSocket;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** Only a pid the loop registered gets the socket; anyone else who finds the path gets nothing. */
class SocketLenderTest {

    @Test
    void lendsOnlyToRegisteredWorkers() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path dir = Files.createTempDirectory("revenant-test-");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long me = ProcessHandle.current().pid();
        WorkerPids workers = new WorkerPids();
        EventLog log = new EventLog(new PrintStream(out, true, StandardCharsets.UTF_8));
        try (ListenSocket socket = ListenSocket.open("127.0.0.1", port, 16);
             SocketLender lender = SocketLender.start(dir, socket, workers, log)) {
            Path path = Path.of(lender.path());
            assertThat("an unregistered pid gets no descriptor", DescriptorPassing.receive(path, 3000).length, is(0));
            assertThat(log.writer().flush(5000), is(true));
            assertThat(out.toString(StandardCharsets.UTF_8), containsString("event=socket-lend-refused pid=" + me));

            workers.add(me, 1);
            int[] lent = DescriptorPassing.receive(path, 3000);
            assertThat(lent.length, is(1));
            assertThat(Descriptors.socketInode(lent[0]), is(socket.inode()));
            Descriptors.closeQuietly(lent[0]);

            workers.remove(me);
            assertThat("a forgotten pid gets nothing again", DescriptorPassing.receive(path, 3000).length, is(0));
        } finally {
            Files.deleteIfExists(dir.resolve("listen.sock"));
            Files.deleteIfExists(dir);
        }
    }
}
