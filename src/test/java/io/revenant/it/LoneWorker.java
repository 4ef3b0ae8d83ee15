package io.revenant.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.revenant.worker.WorkerMain;

/**
 * A worker JVM started straight from the test, not by a supervisor: the same java and classpath
 * as {@link RunningSupervisor} (and so as the supervisor's own workers), with an environment the
 * test crafts. The test JVM is its parent, so it stands in for the supervisor pid.
 */
final class LoneWorker {

    record Exit(int code, String stdout, String stderr) {
    }

    private LoneWorker() {
    }

    /**
     * The REVENANT_* variables of a worker of slot 1 serving {@code port}, with the socket lender
     * at {@code lender} naming the socket inode {@code inode}; no notify socket.
     */
    static Map<String, String> environment(int port, Path lender, long inode) {
        Map<String, String> env = new HashMap<>();
        env.put("REVENANT_INSTANCE", "lone-worker");
        env.put("REVENANT_WORKER", "1");
        env.put("REVENANT_SLOT", "1");
        env.put("REVENANT_SUPERVISOR_PID", Long.toString(ProcessHandle.current().pid()));
        env.put("REVENANT_HOST", "127.0.0.1");
        env.put("REVENANT_PORT", Integer.toString(port));
        env.put("REVENANT_SOCKET_LENDER", lender.toString());
        env.put("REVENANT_SOCKET_INODE", Long.toString(inode));
        return env;
    }

    /** Runs the worker with exactly these REVENANT_* variables until it exits; its output goes to {@code dir}. */
    static Exit run(Map<String, String> revenantEnvironment, Path dir, Duration deadline)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "worker", ".out");
        Path err = Files.createTempFile(dir, "worker", ".err");
        ProcessBuilder builder = new ProcessBuilder(RunningSupervisor.java(System.getProperty("java.class.path"),
                                                                           WorkerMain.class.getName()))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("REVENANT_"));
        builder.environment().putAll(revenantEnvironment);
        Process process = builder.start();
        try {
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("worker still running after " + deadline.toMillis() + " ms; stderr:\n"
                                         + Files.readString(err));
            }
        } finally {
            process.destroyForcibly();
        }
        return new Exit(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
