package io.revenant.net;

import java.nio.file.Path;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;

/**
 * Passes open descriptors between processes over a Unix stream socket (SCM_RIGHTS), as Envoy's
 * hot restart and einhorn do. The JDK's Unix-domain channels cannot carry descriptors, hence
 * sendmsg(2)/recvmsg(2) here. Layouts are Linux LP64: msghdr 56 bytes, cmsghdr header 16.
 */
public final class DescriptorPassing {

    private static final int SCM_RIGHTS = 1;
    private static final int SO_PEERCRED = 17;
    private static final int SO_RCVTIMEO = 20;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int EINTR = 4;
    private static final int EADDRINUSE = 98;
    private static final int ECONNREFUSED = 111;
    private static final int SHUT_RDWR = 2;
    private static final int MSGHDR_SIZE = 56;
    private static final int CMSG_HEADER = 16;
    /** At most this many descriptors in one message; Revenant sends one per listening socket. */
    private static final int MAX_FDS = 16;

    private DescriptorPassing() {
    }

    /** A Unix stream socket listening at {@code path} (the directory decides who may connect). */
    public static int listen(Path path) {
        int fd = unixSocket();
        try (Memory address = SocketAddresses.unix(path.toString())) {
            LibC.INSTANCE.bind(fd, address, (int) address.size());
            LibC.INSTANCE.listen(fd, 64);
            return fd;
        } catch (LastErrorException e) {
            Descriptors.closeQuietly(fd);
            throw new NativeCallException("bind/listen(" + path + ")", e);
        }
    }

    /**
     * A Unix stream socket listening on the abstract name {@code name} (see
     * {@link SocketAddresses#abstractUnix}), or empty when another socket holds the name.
     */
    public static java.util.OptionalInt listenAbstract(String name) {
        int fd = unixSocket();
        try (Memory address = SocketAddresses.abstractUnix(name)) {
            LibC.INSTANCE.bind(fd, address, (int) address.size());
            LibC.INSTANCE.listen(fd, 8);
            return java.util.OptionalInt.of(fd);
        } catch (LastErrorException e) {
            Descriptors.closeQuietly(fd);
            if (e.getErrorCode() == EADDRINUSE) {
                return java.util.OptionalInt.empty();
            }
            throw new NativeCallException("bind/listen(@" + name + ")", e);
        }
    }

    /**
     * A connection to the abstract name {@code name}, whose reads give up after {@code timeoutMillis}.
     *
     * @return the connected descriptor, or empty when nothing listens on the name
     */
    public static java.util.OptionalInt connectAbstract(String name, int timeoutMillis) {
        int fd = unixSocket();
        try (Memory address = SocketAddresses.abstractUnix(name); Memory timeout = new Memory(16)) {
            timeout.setLong(0, timeoutMillis / 1000);
            timeout.setLong(8, (timeoutMillis % 1000) * 1000L);
            LibC.INSTANCE.setsockopt(fd, ListenSocket.SOL_SOCKET, SO_RCVTIMEO, timeout, 16);
            LibC.INSTANCE.connect(fd, address, (int) address.size());
            return java.util.OptionalInt.of(fd);
        } catch (LastErrorException e) {
            Descriptors.closeQuietly(fd);
            if (e.getErrorCode() == ECONNREFUSED) {
                return java.util.OptionalInt.empty();
            }
            throw new NativeCallException("connect(@" + name + ")", e);
        }
    }

    /**
     * Receives the descriptors sent on a connected socket (close-on-exec in this process).
     *
     * @return the descriptors; empty when the other side closed without sending any
     */
    public static int[] receive(int connectionFd) {
        try {
            return receiveOn(connectionFd);
        } catch (LastErrorException e) {
            throw new NativeCallException("recvmsg(" + connectionFd + ")", e);
        }
    }

    /** The uid of the process at the other end of a Unix socket, as the kernel saw it connect. */
    public static int peerUid(int connectionFd) {
        try (Memory ucred = new Memory(12)) {
            IntByReference length = new IntByReference(12);
            LibC.INSTANCE.getsockopt(connectionFd, ListenSocket.SOL_SOCKET, SO_PEERCRED, ucred, length);
            return ucred.getInt(4);
        } catch (LastErrorException e) {
            throw new NativeCallException("getsockopt(" + connectionFd + ", SO_PEERCRED)", e);
        }
    }

    /** This process's real uid. */
    public static int uid() {
        return LibC.INSTANCE.getuid();
    }

    /**
     * Waits for the next connection.
     *
     * @throws NativeCallException when the socket was shut down (see {@link #shutdown})
     */
    public static int accept(int serverFd) {
        while (true) {
            try {
                return LibC.INSTANCE.accept4(serverFd, null, null, ListenSocket.SOCK_CLOEXEC);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw new NativeCallException("accept4(" + serverFd + ")", e);
                }
            }
        }
    }

    /** The pid of the process at the other end of a Unix socket, as the kernel saw it connect. */
    public static long peerPid(int connectionFd) {
        try (Memory ucred = new Memory(12)) {
            IntByReference length = new IntByReference(12);
            LibC.INSTANCE.getsockopt(connectionFd, ListenSocket.SOL_SOCKET, SO_PEERCRED, ucred, length);
            return ucred.getInt(0);
        } catch (LastErrorException e) {
            throw new NativeCallException("getsockopt(" + connectionFd + ", SO_PEERCRED)", e);
        }
    }

    /** Sends one byte carrying copies of {@code fds}. */
    public static void send(int connectionFd, int... fds) {
        if (fds.length == 0 || fds.length > MAX_FDS) {
            throw new IllegalArgumentException("between 1 and " + MAX_FDS + " descriptors, not " + fds.length);
        }
        try (Memory payload = new Memory(1); Memory iov = new Memory(16);
             Memory control = new Memory(controlSpace(fds.length)); Memory message = new Memory(MSGHDR_SIZE)) {
            payload.setByte(0, (byte) 'S');
            control.clear();
            control.setLong(0, CMSG_HEADER + 4L * fds.length);
            control.setInt(8, ListenSocket.SOL_SOCKET);
            control.setInt(12, SCM_RIGHTS);
            for (int i = 0; i < fds.length; i++) {
                control.setInt(CMSG_HEADER + 4L * i, fds[i]);
            }
            message(message, payload, iov, control);
            while (true) {
                try {
                    LibC.INSTANCE.sendmsg(connectionFd, message, 0);
                    return;
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != EINTR) {
                        throw new NativeCallException("sendmsg(" + connectionFd + ", SCM_RIGHTS)", e);
                    }
                }
            }
        }
    }

    /**
     * Connects to {@code path} and receives the descriptors sent there (close-on-exec in this
     * process).
     *
     * @return the descriptors; empty when the other side closed without sending any
     * @throws NativeCallException when nothing listens at {@code path} or it did not answer in time
     */
    public static int[] receive(Path path, int timeoutMillis) {
        int fd = unixSocket();
        try (Memory address = SocketAddresses.unix(path.toString()); Memory timeout = new Memory(16)) {
            timeout.setLong(0, timeoutMillis / 1000);
            timeout.setLong(8, (timeoutMillis % 1000) * 1000L);
            LibC.INSTANCE.setsockopt(fd, ListenSocket.SOL_SOCKET, SO_RCVTIMEO, timeout, 16);
            LibC.INSTANCE.connect(fd, address, (int) address.size());
            return receiveOn(fd);
        } catch (LastErrorException e) {
            throw new NativeCallException("connect/recvmsg(" + path + ")", e);
        } finally {
            Descriptors.closeQuietly(fd);
        }
    }

    private static int[] receiveOn(int fd) {
        try (Memory payload = new Memory(1); Memory iov = new Memory(16);
             Memory control = new Memory(controlSpace(MAX_FDS)); Memory message = new Memory(MSGHDR_SIZE)) {
            control.clear();
            message(message, payload, iov, control);
            long received;
            while (true) {
                try {
                    received = LibC.INSTANCE.recvmsg(fd, message, MSG_CMSG_CLOEXEC);
                    break;
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != EINTR) {
                        throw e;
                    }
                }
            }
            long controlLength = message.getLong(40);
            if (received <= 0 || controlLength < CMSG_HEADER) {
                return new int[0];
            }
            long cmsgLength = control.getLong(0);
            if (control.getInt(8) != ListenSocket.SOL_SOCKET || control.getInt(12) != SCM_RIGHTS) {
                return new int[0];
            }
            int count = (int) ((cmsgLength - CMSG_HEADER) / 4);
            int[] fds = new int[count];
            for (int i = 0; i < count; i++) {
                fds[i] = control.getInt(CMSG_HEADER + 4L * i);
            }
            return fds;
        }
    }

    /** Wakes a thread blocked in {@link #accept} on {@code fd}, which then fails. */
    public static void shutdown(int fd) {
        try {
            LibC.INSTANCE.shutdown(fd, SHUT_RDWR);
        } catch (LastErrorException e) {
            // not connected or already shut down: nothing to wake
        }
    }

    private static void message(Memory message, Memory payload, Memory iov, Memory control) {
        message.clear();
        iov.setPointer(0, payload);
        iov.setLong(8, payload.size());
        message.setPointer(16, iov);
        message.setLong(24, 1);
        message.setPointer(32, control);
        message.setLong(40, control.size());
    }

    /** CMSG_SPACE(count * sizeof(int)): header plus data rounded up to 8 bytes. */
    private static long controlSpace(int count) {
        return CMSG_HEADER + ((4L * count + 7) & ~7L);
    }

    private static int unixSocket() {
        try {
            return LibC.INSTANCE.socket(ListenSocket.AF_UNIX, ListenSocket.SOCK_STREAM | ListenSocket.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new NativeCallException("socket(AF_UNIX)", e);
        }
    }
}
