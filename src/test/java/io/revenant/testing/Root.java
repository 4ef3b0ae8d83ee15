package io.revenant.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * For the tests that need root. They fail (CI runs as root, so a skip would hide a lost test),
 * but the failure says which command needs root and why, instead of that command's own error.
 */
public final class Root {

    private static final Pattern UID = Pattern.compile("(?m)^Uid:\\s+(\\d+)");

    private Root() {
    }

    /** Fails the test unless this JVM runs as uid 0, naming {@code command} and why it needs root. */
    public static void require(List<String> command, String because) {
        long uid = uidOf(ProcessHandle.current().pid());
        if (uid != 0) {
            fail("needs root because it runs `" + String.join(" ", command) + "`, which " + because
                 + "; this JVM runs as uid " + uid + " (run the integration tests as root, as CI does)");
        }
    }

    /** The real uid of a process, from {@code /proc/<pid>/status}. */
    public static long uidOf(long pid) {
        String status;
        try {
            status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the status of pid " + pid, e);
        }
        Matcher uid = UID.matcher(status);
        if (!uid.find()) {
            throw new IllegalStateException("no Uid line in the status of pid " + pid + ": " + status);
        }
        return Long.parseLong(uid.group(1));
    }
}
