package io.revenant.supervisor;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Another process that holds the lock of a runtime directory, as a live supervisor does (an
 * fcntl lock through FileChannel; flock(1) takes a different kind the JDK does not see).
 * Run: {@code java -cp test-classes io.revenant.supervisor.LockHolder <file>}; it prints
 * "held" and holds until killed.
 */
public final class LockHolder {

    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
            channel.lock();
            System.out.println("held");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
