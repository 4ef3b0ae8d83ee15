package io.revenant.net;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;

/**
 * Finds this process's own listening TCP sockets and reads their options with getsockopt(2), so
 * a worker can prove that the socket it accepts on is the one the supervisor lent it: listening,
 * with SO_REUSEPORT, on the configured port.
 */
public final class ListeningSockets {

    private static final int SOL_SOCKET = 1;
    private static final int SO_REUSEPORT = 15;
    private static final int SO_ACCEPTCONN = 30;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCKADDR_STORAGE = 128;

    /** One listening socket: its descriptor, port and whether SO_REUSEPORT is on. */
    public record Listener(int fd, int port, boolean reusePort) {
    }

    private ListeningSockets() {
    }

    /** Every listening TCP socket of this process bound to {@code port}. */
    public static List<Listener> onPort(int port) {
        List<Listener> found = new ArrayList<>();
        for (int fd : socketDescriptors()) {
            try {
                if (intOption(fd, SO_ACCEPTCONN) == 1 && boundPort(fd) == port) {
                    found.add(new Listener(fd, port, intOption(fd, SO_REUSEPORT) == 1));
                }
            } catch (NativeCallException e) {
                // the descriptor was closed meanwhile or is not an inet socket: not ours to check
            }
        }
        return found;
    }

    /** What {@code fd} is, if it is a listening inet socket; empty otherwise (not a socket, not listening, closed). */
    public static Optional<Listener> inspect(int fd) {
        try {
            if (intOption(fd, SO_ACCEPTCONN) != 1) {
                return Optional.empty();
            }
            int port = boundPort(fd);
            return port < 0 ? Optional.empty()
                    : Optional.of(new Listener(fd, port, intOption(fd, SO_REUSEPORT) == 1));
        } catch (NativeCallException e) {
            return Optional.empty();
        }
    }

    /**
     * Why a socket does not fit, said of the socket ("is not a listening TCP socket …") so that a
     * caller puts its own name for it in front.
     *
     * @param reason      what is wrong with it
     * @param noReusePort the only fault is SO_REUSEPORT being off (a worker exits with its own code for it)
     */
    public record Mismatch(String reason, boolean noReusePort) {
    }

    /**
     * Why {@code fd} is not a socket a server for {@code port} may serve on: not a listening TCP
     * socket, bound to another port, or without SO_REUSEPORT. The one check of a borrowed socket:
     * a worker's from its supervisor, and (with the host) a successor's from its predecessor.
     *
     * @return the problem, or empty when the socket fits
     */
    public static Optional<Mismatch> mismatch(int fd, int port) {
        Optional<Listener> listener = inspect(fd);
        if (listener.isEmpty()) {
            return Optional.of(new Mismatch("is not a listening TCP socket (SO_ACCEPTCONN is off)", false));
        }
        if (listener.get().port() != port) {
            return Optional.of(new Mismatch("listens on port " + listener.get().port() + ", not on " + port, false));
        }
        if (!listener.get().reusePort()) {
            return Optional.of(new Mismatch("has SO_REUSEPORT off", true));
        }
        return Optional.empty();
    }

    /** As {@link #mismatch(int, int)}, and bound to the address {@code host} names. */
    public static Optional<Mismatch> mismatch(int fd, String host, int port) {
        Optional<Mismatch> mismatch = mismatch(fd, port);
        if (mismatch.isPresent()) {
            return mismatch;
        }
        java.net.InetSocketAddress bound = boundAddress(fd);
        try {
            java.net.InetAddress expected = java.net.InetAddress.getByName(host);
            if (!expected.equals(bound.getAddress())) {
                return Optional.of(new Mismatch("is bound to " + bound.getAddress().getHostAddress() + ", not " + host, false));
            }
        } catch (java.net.UnknownHostException e) {
            return Optional.of(new Mismatch("cannot be checked: \"" + host + "\" does not resolve", false));
        }
        return Optional.empty();
    }

    /** The address and port {@code fd} is bound to (getsockname(2)); a socket that is not inet fails. */
    static java.net.InetSocketAddress boundAddress(int fd) {
        return boundInet(fd).orElseThrow(() -> new NativeCallException("getsockname(" + fd + ")",
                new IllegalStateException("not an inet socket")));
    }

    /** The address and port of an inet socket {@code fd}; empty for another family (a Unix socket). */
    private static Optional<java.net.InetSocketAddress> boundInet(int fd) {
        try (Memory address = new Memory(SOCKADDR_STORAGE)) {
            address.clear();
            IntByReference length = new IntByReference(SOCKADDR_STORAGE);
            try {
                LibC.INSTANCE.getsockname(fd, address, length);
            } catch (LastErrorException e) {
                throw new NativeCallException("getsockname(" + fd + ")", e);
            }
            int family = address.getShort(0) & 0xffff;
            if (family != AF_INET && family != AF_INET6) {
                return Optional.empty();
            }
            // sin_port and sin6_port both sit at offset 2, in network byte order; the address at 4 (IPv4) or 8 (IPv6)
            int port = ((address.getByte(2) & 0xff) << 8) | (address.getByte(3) & 0xff);
            byte[] bytes = address.getByteArray(family == AF_INET6 ? 8 : 4, family == AF_INET6 ? 16 : 4);
            try {
                return Optional.of(new java.net.InetSocketAddress(java.net.InetAddress.getByAddress(bytes), port));
            } catch (java.net.UnknownHostException e) {
                throw new NativeCallException("getsockname(" + fd + ")", e);
            }
        }
    }

    private static List<Integer> socketDescriptors() {
        List<Integer> fds = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path entry : entries) {
                try {
                    if (Files.readSymbolicLink(entry).toString().startsWith("socket:")) {
                        fds.add(Integer.parseInt(entry.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // closed between listing and reading: skip
                }
            }
        } catch (IOException e) {
            throw new NativeCallException("opendir(/proc/self/fd)", e);
        }
        return fds;
    }

    private static int intOption(int fd, int option) {
        IntByReference value = new IntByReference();
        IntByReference length = new IntByReference(4);
        try {
            LibC.INSTANCE.getsockopt(fd, SOL_SOCKET, option, value, length);
        } catch (LastErrorException e) {
            throw new NativeCallException("getsockopt(" + fd + ", SOL_SOCKET, " + option + ")", e);
        }
        return value.getValue();
    }

    private static int boundPort(int fd) {
        return boundInet(fd).map(java.net.InetSocketAddress::getPort).orElse(-1);
    }
}
