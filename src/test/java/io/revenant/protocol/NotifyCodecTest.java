package io.revenant.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

/**
 * The one codec of the notify protocol. Issue 11 finding 2: every line is checked before the
 * loop sees it (the table below). Issue 13: both ends spell the lines through this class, so
 * whatever a worker encodes, the supervisor decodes to the same notice. Worker 7 is pid 4211 here.
 */
class NotifyCodecTest {

    @Test
    void acceptsWhatTheWorkerSends() {
        assertThat(decode("READY=1 WORKER=7 PID=4211 ADMIN_PORT=41234 SOCKET=99 SWAP_US=120 WAKE_US=3"),
                   is(accepted(new Notice.Ready(7, 4211, 41234, 99, 120, 3))));
        assertThat(decode("SPARE=1 WORKER=7 PID=4211"), is(accepted(new Notice.Spare(7, 4211))));
        assertThat(decode("RECYCLE=max-requests WORKER=7"), is(accepted(new Notice.Recycle(7, "max-requests"))));
        // field order and extra spaces are the sender's business
        assertThat(decode("  WORKER=7   SPARE=1 PID=4211 "), is(accepted(new Notice.Spare(7, 4211))));
    }

    /** Issue 13: the worker's lines are the codec's lines, so the two ends cannot drift apart. */
    @Test
    void everyNoticeDecodesToItself() {
        List<Notice> notices = List.of(
                new Notice.Ready(7, 4211, 41234, 99, 120, 3),
                new Notice.Ready(7, 4211, 65535, 999_999_999_999_999_999L, 0, 0),
                new Notice.Ready(7, 4211, 1, 0, 999_999_999_999L, 1),
                new Notice.Spare(7, 4211),
                new Notice.Recycle(7, "max-requests"),
                new Notice.Recycle(7, "a"),
                new Notice.Recycle(7, "rss:limit=512m.x-" + "y".repeat(46)));
        for (Notice notice : notices) {
            String line = NotifyCodec.encode(notice);
            assertThat(line, NotifyCodec.decode(line.getBytes(StandardCharsets.US_ASCII), 7, 4211), is(accepted(notice)));
        }
    }

    @Test
    void everyCommandDecodesToItself() {
        for (Command command : List.of(new Command.Bind(1), new Command.Bind(42), new Command.Bind(999_999))) {
            assertThat(NotifyCodec.decodeCommand(NotifyCodec.encode(command)),
                       is(new NotifyCodec.Decoded.Accepted<>(command)));
        }
        assertThat(NotifyCodec.encode(new Command.Bind(2)), is("BIND SLOT=2"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // the forged line that used to end the loop with a NumberFormatException
            "READY=1 WORKER=7 ADMIN_PORT=abc           | ADMIN_PORT has an invalid value",
            "READY=1 WORKER=7 ADMIN_PORT=70000         | ADMIN_PORT must be a port",
            "READY=1 WORKER=7 ADMIN_PORT=0             | ADMIN_PORT has an invalid value",
            "READY=1 WORKER=7                          | READY needs ADMIN_PORT",
            // another worker's id: a same-uid process or one worker's code speaking for another
            "READY=1 WORKER=8 ADMIN_PORT=4000          | WORKER must be 7",
            "RECYCLE=max-requests WORKER=8             | WORKER must be 7",
            "RECYCLE=max-requests                      | WORKER must be 7",
            "READY=1 WORKER=7 PID=1 ADMIN_PORT=4000    | PID must be 4211",
            "READY=2 WORKER=7 ADMIN_PORT=4000          | READY has an invalid value",
            "READY=1 WORKER=7 WORKER=7 ADMIN_PORT=4000 | WORKER appears twice",
            "BIND SLOT=1                               | unknown field",
            "WORKER=7                                  | no READY, SPARE or RECYCLE",
            "HELLO=1 WORKER=7                          | unknown field \"HELLO\"",
            "RECYCLE=../../etc WORKER=7                | RECYCLE has an invalid value",
            "READY=1 WORKER=99999999999999999999 ADMIN_PORT=4000 | WORKER has an invalid value",
            "''                                        | unknown field \"\"",
            // issue 13: one message per line, with exactly the fields the worker writes for it
            "READY=1 WORKER=7 ADMIN_PORT=4000 PID=4211 SOCKET=9 SWAP_US=1 WAKE_US=1 RECYCLE=x | READY and RECYCLE are separate messages",
            "SPARE=1 READY=1 WORKER=7 PID=4211         | READY and SPARE are separate messages",
            "READY=1 WORKER=7 ADMIN_PORT=4000          | READY needs PID",
            "READY=1 WORKER=7 ADMIN_PORT=4000 PID=4211 SOCKET=9 WAKE_US=1 | READY needs SWAP_US",
            "SPARE=1 WORKER=7                          | SPARE needs PID",
            "SPARE=1 WORKER=7 PID=4211 ADMIN_PORT=4000 | ADMIN_PORT is not a field of SPARE",
            "RECYCLE=max-requests WORKER=7 PID=4211    | PID is not a field of RECYCLE",
    })
    void refuses(String line, String problem) {
        NotifyCodec.Decoded<Notice> decoded = decode(line);
        assertThat(decoded, instanceOf(NotifyCodec.Decoded.Rejected.class));
        assertThat(((NotifyCodec.Decoded.Rejected<Notice>) decoded).problem(), containsString(problem));
    }

    @Test
    void refusesControlBytesAndOversizedLines() {
        assertThat(problem("READY=1 WORKER=7 ADMIN_PORT=4000\u0000".getBytes(StandardCharsets.ISO_8859_1)),
                   containsString("not printable ASCII (byte 0x00)"));
        assertThat(problem("RECYCLE=x WORKER=7 \u00e9".getBytes(StandardCharsets.UTF_8)), containsString("not printable ASCII"));
        byte[] huge = ("RECYCLE=x WORKER=7 " + " ".repeat(NotifyCodec.MAX_BYTES)).getBytes(StandardCharsets.US_ASCII);
        assertThat(problem(huge), containsString("longer than 4096 bytes"));
    }

    /** The worker acted on a line only when it matched exactly; anything else it now names on stderr. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "BIND SLOT=x         | unknown command \"BIND SLOT=x\"",
            "BIND SLOT=1234567   | unknown command",
            "BIND SLOT=-1        | unknown command",
            "STOP                | the supervisor sends only BIND SLOT=n",
            "''                  | unknown command \"\"",
    })
    void refusesUnknownCommands(String line, String problem) {
        NotifyCodec.Decoded<Command> decoded = NotifyCodec.decodeCommand(line);
        assertThat(decoded, instanceOf(NotifyCodec.Decoded.Rejected.class));
        assertThat(((NotifyCodec.Decoded.Rejected<Command>) decoded).problem(), containsString(problem));
    }

    @Test
    void aSenderCannotBuildANoticeTheReaderWouldRefuse() {
        assertThat(rejects(() -> new Notice.Recycle(7, "../../etc")), is(true));
        assertThat(rejects(() -> new Notice.Recycle(7, "x".repeat(65))), is(true));
        assertThat(rejects(() -> new Notice.Ready(7, 4211, 70000, 1, 1, 1)), is(true));
        assertThat(rejects(() -> new Command.Bind(1_000_000)), is(true));
        // 19 digits: the reader's numbers have at most 18, so the round trip caught this one
        assertThat(rejects(() -> new Notice.Ready(7, 4211, 4000, Long.MAX_VALUE, 1, 1)), is(true));
        assertThat(rejects(() -> new Notice.Spare(7, -1)), is(true));
    }

    private static boolean rejects(Runnable construction) {
        try {
            construction.run();
            return false;
        } catch (IllegalArgumentException expected) {
            return true;
        }
    }

    private static NotifyCodec.Decoded<Notice> decode(String line) {
        return NotifyCodec.decode(line.getBytes(StandardCharsets.US_ASCII), 7, 4211);
    }

    private static String problem(byte[] line) {
        return ((NotifyCodec.Decoded.Rejected<Notice>) NotifyCodec.decode(line, 7, 4211)).problem();
    }

    private static NotifyCodec.Decoded<Notice> accepted(Notice notice) {
        return new NotifyCodec.Decoded.Accepted<>(notice);
    }
}
