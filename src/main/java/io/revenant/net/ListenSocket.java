package io.revenant.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;

/**
 * The public TCP listening socket, opened once by the supervisor and lent to every worker
 * (systemd socket activation, the nginx master and the Node.js cluster primary do the same). It
 * lives as long as the supervisor, so a worker's death never closes it and connections queued on
 * it wait for the next worker instead of being reset. Opened through libc rather than the JDK so
 * that SO_REUSEPORT is set before bind(2) and the raw descriptor can be passed with SCM_RIGHTS.
 *
 * @param fd      the descriptor in this process
 * @param inode   the socket's inode ({@code socket:[N]} in /proc/PID/fd), which identifies it in
 *                every process that holds a copy
 * @param host    the address it is bound to, as configured
 * @param port    the port it is bound to
 */
public record ListenSocket(int fd, long inode, String host, int port) implements AutoCloseable {

    static final int AF_UNIX = 1;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_STREAM = 1;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_REUSEPORT = 15;
    static final int EADDRINUSE = 98;
    static final int EADDRNOTAVAIL = 99;
    static final int EACCES = 13;

    /** Why the socket could not be opened, worded for the person who wrote the config. */
    public static final class BindFailure extends Exception {

        private final String key;

        BindFailure(String key, String message) {
            super(message);
            this.key = key;
        }

        /** The config key at fault, e.g. {@code server.host} for an address that is not ours, else {@code server.port}. */
        public String key() {
            return key;
        }
    }

    /** What a host key allows; the load-time check ({@code HostSyntax}) has already vetted the shape. */
    static final String HOST_ALLOWED = "must be an address of this machine (0.0.0.0 or :: for all)"
                                       + " or a name that resolves to one";

    /**
     * socket, SO_REUSEADDR, SO_REUSEPORT (so a second supervisor can join the port during an
     * upgrade), bind, listen.
     *
     * @throws BindFailure naming the key, the value, the real reason (does not resolve, not local,
     *                     in use, no permission) and what is allowed
     */
    public static ListenSocket open(String host, int port, int backlog) throws BindFailure {
        InetAddress address = resolve("server", host, port);
        int fd = bound("server", address, host, port, true);
        try {
            try {
                LibC.INSTANCE.listen(fd, backlog);
            } catch (LastErrorException e) {
                throw failure("server", e, address, host, port);
            }
            return new ListenSocket(fd, Descriptors.socketInode(fd), host, port);
        } catch (BindFailure | RuntimeException e) {
            Descriptors.closeQuietly(fd);
            throw e;
        }
    }

    /**
     * Binds {@code host:port} for a moment, without SO_REUSEPORT, as a server that keeps its own
     * socket (the admin listener) would, and closes it again: the honest reason why that server
     * could not listen there, before it tries and fails with a stack trace.
     *
     * @param keyPrefix the config section, e.g. {@code admin}, for {@code admin.host} / {@code admin.port}
     * @return why {@code host:port} cannot be bound, or empty when it can (now)
     */
    public static Optional<BindFailure> probe(String keyPrefix, String host, int port) {
        try {
            InetAddress address = resolve(keyPrefix, host, port);
            Descriptors.closeQuietly(bound(keyPrefix, address, host, port, false));
            return Optional.empty();
        } catch (BindFailure failure) {
            return Optional.of(failure);
        }
    }

    private static InetAddress resolve(String keyPrefix, String host, int port) throws BindFailure {
        try {
            return InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new BindFailure(keyPrefix + ".host", "cannot listen on " + host + ":" + port + ": \"" + host
                                  + "\" is not an IP address and does not resolve to one; " + HOST_ALLOWED);
        }
    }

    /** A socket bound to {@code address:port}; the caller closes it. */
    private static int bound(String keyPrefix, InetAddress address, String host, int port, boolean reusePort)
            throws BindFailure {
        int family = address instanceof Inet6Address ? AF_INET6 : AF_INET;
        int fd;
        try {
            fd = LibC.INSTANCE.socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new NativeCallException("socket(" + (family == AF_INET ? "AF_INET" : "AF_INET6") + ")", e);
        }
        try {
            setInt(fd, SO_REUSEADDR, 1);
            if (reusePort) {
                setInt(fd, SO_REUSEPORT, 1);
            }
            try (Memory sockaddr = SocketAddresses.inet(address, port)) {
                LibC.INSTANCE.bind(fd, sockaddr, (int) sockaddr.size());
            } catch (LastErrorException e) {
                throw failure(keyPrefix, e, address, host, port);
            }
            return fd;
        } catch (BindFailure | RuntimeException e) {
            Descriptors.closeQuietly(fd);
            throw e;
        }
    }

    private static BindFailure failure(String keyPrefix, LastErrorException e, InetAddress address, String host,
                                       int port) {
        int errno = e.getErrorCode();
        String key = keyPrefix + (errno == EADDRNOTAVAIL ? ".host" : ".port");
        return new BindFailure(key, "cannot listen on " + host + ":" + port + ": " + reason(keyPrefix, e, address, host, port));
    }

    private static String reason(String keyPrefix, LastErrorException e, InetAddress address, String host, int port) {
        // a name is reported with what it resolved to: the address is what was refused
        String named = address.getHostAddress().equals(host) ? host : host + " (resolved to " + address.getHostAddress() + ")";
        return switch (e.getErrorCode()) {
            case EADDRINUSE -> "port " + port + " is in use by a listener that does not share it (SO_REUSEPORT)"
                    + " or belongs to another user; " + keyPrefix + ".port must be a port no other server holds";
            case EADDRNOTAVAIL -> named + " is not an address of this machine; " + keyPrefix + ".host " + HOST_ALLOWED;
            case EACCES -> "permission denied: ports below 1024 need root or CAP_NET_BIND_SERVICE; "
                    + keyPrefix + ".port must be 1024-65535 without them";
            default -> "bind(" + named + ":" + port + "): " + e.getMessage();
        };
    }

    private static void setInt(int fd, int option, int value) {
        try {
            LibC.INSTANCE.setsockopt(fd, SOL_SOCKET, option, new IntByReference(value), 4);
        } catch (LastErrorException e) {
            throw new NativeCallException("setsockopt(" + fd + ", SOL_SOCKET, " + option + ")", e);
        }
    }

    /** Closes this process's copy; workers that hold one keep the socket open. */
    @Override
    public void close() {
        Descriptors.closeQuietly(fd);
    }
}
