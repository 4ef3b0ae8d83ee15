package io.revenant.testing;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one raw HTTP/1.x reader of the tests (pipelining, HTTP/1.0, WrkLoad): response by response, and what a broken one throws. */
class RawHttpTest {

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readsPipelinedResponsesOneByOne() throws Exception {
        InputStream in = bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nhi"
                               + "HTTP/1.0 404 Not Found\r\nCONNECTION:  Close\r\n\r\n");
        RawHttp.Response first = RawHttp.read(in);
        assertThat(first.status(), is(200));
        assertThat(first.body(), is("hi"));
        assertThat(first.header("connection"), is(Optional.of("keep-alive")));
        assertThat(first.closes(), is(false));
        RawHttp.Response second = RawHttp.read(in);
        assertThat(second.status(), is(404));
        assertThat(second.contentLength(), is(OptionalInt.empty()));
        assertThat(second.body(), is(""));
        assertThat(second.closes(), is(true));
    }

    @Test
    void aCutOrForeignAnswerThrows() {
        assertThrows(EOFException.class, () -> RawHttp.read(bytes("")));
        assertThrows(EOFException.class, () -> RawHttp.read(bytes("HTTP/1.1 200 OK\r\nContent-Le")));
        assertThrows(EOFException.class, () -> RawHttp.read(bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhi")));
        assertThrows(SocketException.class, () -> RawHttp.read(bytes("SSH-2.0-OpenSSH_9.6\r\n\r\n")));
    }
}
