package io.revenant.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.LastErrorException;

/** File-descriptor calls: which socket a descriptor is, dup2, close. */
public final class Descriptors {

    private static final int EINTR = 4;
    private static final int MSG_NOSIGNAL = 0x4000;

    private Descriptors() {
    }

    /**
     * The inode of the socket behind {@code fd}, from {@code /proc/self/fd/N -> socket:[inode]}:
     * the same number in every process that holds a copy of the socket.
     *
     * @throws NativeCallException if {@code fd} is not open or not a socket
     */
    public static long socketInode(int fd) {
        String target;
        try {
            target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException e) {
            throw new NativeCallException("readlink(/proc/self/fd/" + fd + ")", e);
        }
        if (!target.startsWith("socket:[") || !target.endsWith("]")) {
            throw new NativeCallException("readlink(/proc/self/fd/" + fd + ")",
                                          new IOException("not a socket: " + target));
        }
        return Long.parseLong(target.substring("socket:[".length(), target.length() - 1));
    }

    /** Makes {@code target} refer to what {@code source} refers to, atomically (dup2(2)). */
    public static void duplicateOnto(int source, int target) {
        try {
            LibC.INSTANCE.dup2(source, target);
        } catch (LastErrorException e) {
            throw new NativeCallException("dup2(" + source + ", " + target + ")", e);
        }
    }

    /**
     * Reads up to {@code length} bytes (blocking), retrying on EINTR.
     *
     * @return the count read; 0 at the end of the stream
     */
    public static int read(int fd, byte[] buffer, int length) {
        while (true) {
            try {
                return (int) LibC.INSTANCE.read(fd, buffer, Math.min(length, buffer.length));
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw new NativeCallException("read(" + fd + ")", e);
                }
            }
        }
    }

    /** Writes all of {@code bytes} to a socket; a closed peer fails the call instead of raising SIGPIPE. */
    public static void sendAll(int fd, byte[] bytes) {
        int offset = 0;
        while (offset < bytes.length) {
            byte[] rest = offset == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, offset, bytes.length);
            try {
                offset += (int) LibC.INSTANCE.send(fd, rest, rest.length, MSG_NOSIGNAL);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw new NativeCallException("send(" + fd + ")", e);
                }
            }
        }
    }

    public static void closeQuietly(int fd) {
        try {
            LibC.INSTANCE.close(fd);
        } catch (LastErrorException e) {
            // already closed: nothing to release
        }
    }
}
