package io.revenant.supervisor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Copies a worker's stdout or stderr to the supervisor's, each line prefixed with the worker id. */
final class OutputPump {

    private OutputPump() {
    }

    static void start(long workerId, InputStream from, PrintStream to) {
        String prefix = "[worker " + workerId + "] ";
        Thread.ofPlatform().daemon().name("output-" + workerId).start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    to.println(prefix + line);
                }
            } catch (IOException e) {
                // the worker is gone and its pipe closed; its exit is reported through onExit()
            }
        });
    }
}
