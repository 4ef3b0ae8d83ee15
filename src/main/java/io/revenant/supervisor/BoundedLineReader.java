package io.revenant.supervisor;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads lines of at most {@code maxBytes} from a stream another process writes. A reader that
 * waits for a newline with no bound is an out-of-memory error for whoever sends 4 MB without
 * one; this one hands over what it has at the bound and tells the caller the line overflowed.
 */
final class BoundedLineReader {

    /** One line, without its newline; {@code overflowed} when it was cut at the bound. */
    record Line(byte[] bytes, boolean overflowed) {
    }

    private final InputStream in;
    private final int maxBytes;
    private final byte[] chunk = new byte[8192];
    private int position;
    private int limit;
    /** After an overflow: the rest of that line is skipped up to its newline. */
    private boolean skipping;

    BoundedLineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** @return the next line, or null at the end of the stream (a last line without newline included) */
    Line next() throws IOException {
        byte[] line = new byte[Math.min(maxBytes, 256)];
        int length = 0;
        while (true) {
            if (position == limit) {
                limit = in.read(chunk, 0, chunk.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return length > 0 && !skipping ? new Line(Arrays.copyOf(line, length), false) : null;
                }
            }
            byte b = chunk[position++];
            if (b == '\n') {
                if (skipping) {
                    skipping = false;
                    length = 0;
                    continue;
                }
                return new Line(Arrays.copyOf(line, length), false);
            }
            if (skipping) {
                continue;
            }
            if (length == maxBytes) {
                skipping = true;
                return new Line(Arrays.copyOf(line, length), true);
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, Math.min(maxBytes, line.length * 2));
            }
            line[length++] = b;
        }
    }
}
