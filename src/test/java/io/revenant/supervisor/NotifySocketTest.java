package io.revenant.supervisor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.revenant.protocol.Command;
import io.revenant.protocol.Notice;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Issue 11 finding 2, on a real socket: the kernel's peer pid decides who a connection speaks
 * for. This test process is the "worker" (its pid is the one registered, or not).
 */
class NotifySocketTest {

    private static final long ME = ProcessHandle.current().pid();

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final WorkerPids workers = new WorkerPids();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private EventLog log;
    private NotifySocket notify;

    @BeforeEach
    void open() throws IOException {
        log = new EventLog(new PrintStream(out, true, StandardCharsets.UTF_8));
        Path dir = Files.createTempDirectory("revenant-test-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        notify = NotifySocket.open(dir, workers, events::add, log);
    }

    @AfterEach
    void close() throws IOException {
        notify.close();
    }

    @Test
    void aProcessTheSupervisorDidNotStartIsRefused() throws Exception {
        try (SocketChannel channel = connect()) {
            write(channel, "READY=1 WORKER=1 ADMIN_PORT=4000\n");
            assertThat("the connection is closed on the forger", readLine(channel), is(nullValue()));
        }
        assertThat(events.poll(), is(nullValue()));
        assertThat(logged(), containsString("event=notify-refused pid=" + ME + " reason=\"not a worker this supervisor started\""));
    }

    @Test
    void aWorkerSpeaksOnlyForItselfAndGetsItsOwnCommands() throws Exception {
        workers.add(ME, 7);
        try (SocketChannel channel = connect()) {
            write(channel, "SPARE=1 WORKER=7 PID=" + ME + "\n");
            Event.WorkerNotified spare = (Event.WorkerNotified) events.poll(10, TimeUnit.SECONDS);
            assertThat(spare, is(new Event.WorkerNotified(7, new Notice.Spare(7, ME))));
            assertThat(notify.send(7, new Command.Bind(2)), is(true));
            assertThat(readLine(channel), is("BIND SLOT=2"));
            assertThat("no other worker's commands come here", notify.send(8, new Command.Bind(1)), is(false));

            // a line for another worker: refused, and the connection ends
            write(channel, "RECYCLE=max-requests WORKER=8\n");
            assertThat(readLine(channel), is(nullValue()));
        }
        assertThat(events.poll(), is(nullValue()));
        assertThat(logged(), containsString("event=notify-rejected worker=7 pid=" + ME
                                            + " reason=\"WORKER must be 7, the id of the sending process\""));
    }

    @Test
    void fourMegabytesWithoutNewlineEndTheConnection() throws Exception {
        workers.add(ME, 7);
        try (SocketChannel channel = connect()) {
            ByteBuffer chunk = ByteBuffer.wrap("x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII));
            try {
                for (int i = 0; i < 64; i++) {
                    chunk.rewind();
                    write(channel, chunk);
                }
            } catch (IOException closedOnUs) {
                // the supervisor closed the connection after the first 4 KiB, as it should
            }
            assertThat(readLine(channel), is(nullValue()));
        }
        assertThat(events.poll(), is(nullValue()));
        assertThat(logged(), containsString("reason=\"longer than 4096 bytes\""));
    }

    private SocketChannel connect() throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(notify.path()));
    }

    private static void write(SocketChannel channel, String text) throws IOException {
        write(channel, ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
    }

    private static void write(SocketChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** One line from the supervisor, or null when it closed the connection; a hang fails after 10 s. */
    private static String readLine(SocketChannel channel) {
        return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> readLineBlocking(channel));
    }

    private static String readLineBlocking(SocketChannel channel) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            int n;
            try {
                n = channel.read(one);
            } catch (IOException reset) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
            }
            if (n < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
            }
            if (one.get(0) == '\n') {
                return line.toString(StandardCharsets.US_ASCII);
            }
            line.write(one.get(0));
        }
    }

    private String logged() {
        assertThat(log.writer().flush(5000), is(true));
        return out.toString(StandardCharsets.UTF_8);
    }
}
