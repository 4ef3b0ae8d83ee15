package io.revenant.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

import com.sun.jna.Memory;

/** sockaddr_in, sockaddr_in6 and sockaddr_un, laid out as Linux defines them. */
final class SocketAddresses {

    /** sizeof(sun_path) on Linux. */
    static final int UNIX_PATH_MAX = 108;

    private SocketAddresses() {
    }

    static Memory inet(InetAddress address, int port) {
        boolean v6 = address instanceof Inet6Address;
        Memory sockaddr = new Memory(v6 ? 28 : 16);
        sockaddr.clear();
        sockaddr.setShort(0, (short) (v6 ? ListenSocket.AF_INET6 : ListenSocket.AF_INET));
        // sin_port / sin6_port: network byte order
        sockaddr.setByte(2, (byte) (port >> 8));
        sockaddr.setByte(3, (byte) port);
        byte[] bytes = address.getAddress();
        sockaddr.write(v6 ? 8 : 4, bytes, 0, bytes.length);
        if (v6) {
            sockaddr.setInt(24, ((Inet6Address) address).getScopeId());
        }
        return sockaddr;
    }

    static Memory unix(String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= UNIX_PATH_MAX) {
            throw new IllegalArgumentException("Unix socket path longer than " + (UNIX_PATH_MAX - 1) + " bytes: " + path);
        }
        Memory sockaddr = new Memory(2 + UNIX_PATH_MAX);
        sockaddr.clear();
        sockaddr.setShort(0, (short) ListenSocket.AF_UNIX);
        sockaddr.write(2, bytes, 0, bytes.length);
        return sockaddr;
    }

    /**
     * An abstract Unix address (Linux): {@code sun_path} starts with a NUL and the name is the
     * bytes after it, exactly as long as the address length says. No file: the name lives in the
     * network namespace and disappears with the last socket bound to it.
     */
    static Memory abstractUnix(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= UNIX_PATH_MAX) {
            throw new IllegalArgumentException("abstract socket name longer than " + (UNIX_PATH_MAX - 1) + " bytes: " + name);
        }
        Memory sockaddr = new Memory(2 + 1 + bytes.length);
        sockaddr.clear();
        sockaddr.setShort(0, (short) ListenSocket.AF_UNIX);
        sockaddr.write(3, bytes, 0, bytes.length);
        return sockaddr;
    }
}
