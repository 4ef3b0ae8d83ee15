package io.revenant.supervisor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

class BoundedLineReaderTest {

    @Test
    void splitsLinesAndKeepsALastLineWithoutNewline() throws IOException {
        assertThat(read("a\nbc\n\nlast", 10), contains("a", "bc", "", "last"));
    }

    @Test
    void cutsAnOverlongLineAndSkipsItsRest() throws IOException {
        assertThat(read("0123456789ABCDEF\nok\n", 10), contains("0123456789+", "ok"));
    }

    /** Issue 11 finding 2: 4 MB without a newline used to be an OutOfMemoryError in the reader. */
    @Test
    void fourMegabytesWithoutNewlineHoldOnlyTheBound() throws IOException {
        InputStream endless = new InputStream() {
            private long left = 4L << 20;

            @Override
            public int read() {
                return left-- > 0 ? 'x' : -1;
            }
        };
        BoundedLineReader reader = new BoundedLineReader(endless, 4096);
        BoundedLineReader.Line first = reader.next();
        assertThat(first.bytes().length, is(4096));
        assertThat(first.overflowed(), is(true));
        assertThat(reader.next() == null, is(true));
    }

    private static List<String> read(String text, int max) throws IOException {
        BoundedLineReader reader = new BoundedLineReader(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
        List<String> lines = new ArrayList<>();
        for (BoundedLineReader.Line line = reader.next(); line != null; line = reader.next()) {
            lines.add(new String(line.bytes(), StandardCharsets.UTF_8) + (line.overflowed() ? "+" : ""));
        }
        return lines;
    }
}
