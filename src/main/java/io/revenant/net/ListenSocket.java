package io.revenant.net;

import java.net.Inet6Address;
import java.net.InetAddress;

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

        /** The config key at fault: {@code server.host} for an address that is not ours, else {@code server.port}. */
        public String key() {
            return key;
        }
    }

    /**
     * socket, SO_REUSEADDR, SO_REUSEPORT (so a second supervisor can join the port during an
     * upgrade), bind, listen.
     *
     * @throws BindFailure naming the address and the real reason (in use, not local, no permission)
     */
    public static ListenSocket open(String host, int port, int backlog) throws BindFailure {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new BindFailure("server.host", "cannot listen on " + host + ":" + port + ": " + host
                                  + " is not an address of this host"
                                  + " (the name does not resolve)");
        }
        int family = address instanceof Inet6Address ? AF_INET6 : AF_INET;
        int fd;
        try {
            fd = LibC.INSTANCE.socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new NativeCallException("socket(" + (family == AF_INET ? "AF_INET" : "AF_INET6") + ")", e);
        }
        try {
            setInt(fd, SO_REUSEADDR, 1);
            setInt(fd, SO_REUSEPORT, 1);
            try (Memory sockaddr = SocketAddresses.inet(address, port)) {
                LibC.INSTANCE.bind(fd, sockaddr, (int) sockaddr.size());
            } catch (LastErrorException e) {
                throw failure(e.getErrorCode(), host, port);
            }
            try {
                LibC.INSTANCE.listen(fd, backlog);
            } catch (LastErrorException e) {
                throw failure(e.getErrorCode(), host, port);
            }
            return new ListenSocket(fd, Descriptors.socketInode(fd), host, port);
        } catch (BindFailure | RuntimeException e) {
            Descriptors.closeQuietly(fd);
            throw e;
        }
    }

    private static BindFailure failure(int errno, String host, int port) {
        return new BindFailure(errno == EADDRNOTAVAIL ? "server.host" : "server.port",
                               "cannot listen on " + host + ":" + port + ": " + reason(errno, host, port));
    }

    private static String reason(int errno, String host, int port) {
        return switch (errno) {
            case EADDRINUSE -> "port " + port + " is in use by a listener that does not share it (SO_REUSEPORT)"
                    + " or belongs to another user; is another server using port " + port + "?";
            case EADDRNOTAVAIL -> host + " is not an address of this host";
            case EACCES -> "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)";
            default -> "errno " + errno;
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
