package io.revenant.worker;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Issue 11 finding 7 (HTTP/1.0 answered, keep-alive only if asked): the head translation, row by
 * row. Heads are written with '|' for CRLF; "-" for no body length means "stop following".
 */
class Http10HeadTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            // ab, curl -0, nginx proxy_http_version 1.0: closes after the response
            "GET / HTTP/1.0|Host: a|| ; GET / HTTP/1.1|Host: a|Connection: close|| ; false ; 0",
            // keep-alive only when asked, in any case
            "GET / HTTP/1.0|Host: a|Connection: Keep-Alive|| ; GET / HTTP/1.1|Host: a|Connection: Keep-Alive|| ; true ; 0",
            "GET / HTTP/1.0|Host: a|Connection: keep-alive, close|| ; GET / HTTP/1.1|Host: a|Connection: keep-alive, close|| ; false ; 0",
            "GET / HTTP/1.0|Host: a|Connection: close|| ; GET / HTTP/1.1|Host: a|Connection: close|| ; false ; 0",
            // HTTP/1.0 needs no Host: the listener's authority is added
            "GET / HTTP/1.0|| ; GET / HTTP/1.1|Connection: close|Host: 127.0.0.1:3000|| ; false ; 0",
            // a body of one Content-Length is followed; anything else stops the translation
            "POST / HTTP/1.0|Host: a|Connection: keep-alive|Content-Length: 5|| ; POST / HTTP/1.1|Host: a|Connection: keep-alive|Content-Length: 5|| ; true ; 5",
            "POST / HTTP/1.0|Host: a|Connection: keep-alive|Content-Length: 5|Content-Length: 6|| ; POST / HTTP/1.1|Host: a|Connection: keep-alive|Content-Length: 5|Content-Length: 6|| ; true ; -",
            "POST / HTTP/1.0|Host: a|Connection: keep-alive|Content-Length: 5, 5|| ; POST / HTTP/1.1|Host: a|Connection: keep-alive|Content-Length: 5, 5|| ; true ; 5",
            "POST / HTTP/1.0|Host: a|Connection: keep-alive|Content-Length: -1|| ; POST / HTTP/1.1|Host: a|Connection: keep-alive|Content-Length: -1|| ; true ; -",
            "POST / HTTP/1.0|Host: a|Connection: keep-alive|Transfer-Encoding: chunked|| ; POST / HTTP/1.1|Host: a|Connection: keep-alive|Transfer-Encoding: chunked|| ; true ; -",
            "GET / HTTP/1.0|Host: a|Connection: keep-alive|no colon here|| ; GET / HTTP/1.1|Host: a|Connection: keep-alive|no colon here|| ; true ; -",
            // a later HTTP/1.1 request on the connection is left as it is
            "GET / HTTP/1.1|Host: a|| ; GET / HTTP/1.1|Host: a|| ; true ; 0",
            "GET / HTTP/1.1|Host: a|Connection: close|| ; GET / HTTP/1.1|Host: a|Connection: close|| ; false ; 0",
            // only the version at the end of the request line is HTTP/1.0's
            "GET /HTTP/1.0 HTTP/1.1|Host: a|| ; GET /HTTP/1.0 HTTP/1.1|Host: a|| ; true ; 0"})
    void translates(String head, String expected, boolean persistent, String bodyLength) {
        Http10Head translated = Http10Head.of(bytes(head), "127.0.0.1:3000");
        assertThat(new String(translated.bytes(), StandardCharsets.ISO_8859_1), is(text(expected)));
        assertThat(translated.persistent(), is(persistent));
        assertThat(translated.bodyLength(),
                   is(bodyLength.equals("-") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(bodyLength))));
    }

    static String text(String head) {
        return head.strip().replace("|", "\r\n");
    }

    static byte[] bytes(String head) {
        return text(head).getBytes(StandardCharsets.ISO_8859_1);
    }
}
