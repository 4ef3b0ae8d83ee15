package io.revenant.net;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Test-only: moves the calling thread into another process's network namespace (setns(2)), so a
 * test can talk to a supervisor that runs, like in a container, in a namespace of its own.
 * Threads the caller starts afterwards inherit the namespace; pooled threads do not.
 */
public final class NetworkNamespace {

    private static final int O_RDONLY = 0;
    private static final int CLONE_NEWNET = 0x40000000;

    private interface Calls extends Library {
        Calls INSTANCE = Native.load("c", Calls.class);

        int open(String path, int flags) throws LastErrorException;

        int setns(int fd, int nstype) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private NetworkNamespace() {
    }

    public static void joinOf(long pid) {
        int fd = Calls.INSTANCE.open("/proc/" + pid + "/ns/net", O_RDONLY);
        try {
            Calls.INSTANCE.setns(fd, CLONE_NEWNET);
        } finally {
            Calls.INSTANCE.close(fd);
        }
    }
}
