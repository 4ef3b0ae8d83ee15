package io.revenant.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Notices edits of application.yaml by polling its content once a second (inotify misses
 * edits through bind mounts and editors that replace the file) and asks for a reload.
 */
final class ConfigWatcher {

    private static final long PERIOD_MS = 1000;

    private ConfigWatcher() {
    }

    static void start(Path file, Consumer<Event> events) {
        Thread.ofPlatform().daemon().name("config-watch").start(() -> {
            byte[] last = read(file);
            while (true) {
                try {
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
                byte[] now = read(file);
                if (now != null && !Arrays.equals(now, last)) {
                    last = now;
                    events.accept(new Event.ReloadRequested("file"));
                }
            }
        });
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            // a half-replaced file: look again next period
            return null;
        }
    }
}
