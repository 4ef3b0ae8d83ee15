package io.revenant.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** wrk (Debian's package) for a bounded time, its summary parsed. */
final class Wrk {

    static final int THREADS = Integer.getInteger("bench.wrk.threads", 2);
    static final int CONNECTIONS = Integer.getInteger("bench.wrk.connections", 64);

    /** Requests per second, latency percentiles in ms, and socket errors plus non-2xx answers. */
    record Result(double rps, double p50ms, double p99ms, long requests, long errors) {

        String cell() {
            return String.format("%,.0f req/s · p50 %.2f ms · p99 %.2f ms%s", rps, p50ms, p99ms,
                                 errors == 0 ? "" : " · " + errors + " errors");
        }
    }

    private Wrk() {
    }

    static Result run(String url, Duration duration) throws IOException, InterruptedException {
        List<String> command = List.of("wrk", "-t" + THREADS, "-c" + CONNECTIONS, "-d" + duration.toSeconds() + "s",
                                       "--timeout", "5s", "--latency", url);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("wrk did not end");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ":\n" + text);
        }
        return parse(text);
    }

    static Result parse(String text) {
        double rps = number(text, "Requests/sec:\\s+([\\d.]+)");
        double p50 = latency(text, "50%");
        double p99 = latency(text, "99%");
        long requests = (long) number(text, "(\\d+) requests in");
        long errors = 0;
        Matcher socket = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(text);
        if (socket.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(socket.group(i));
            }
        }
        Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(text);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        return new Result(rps, p50, p99, requests, errors);
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("no " + regex + " in wrk's output:\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }

    /** A latency percentile line, e.g. {@code 99%    4.12ms}, in milliseconds. */
    private static double latency(String text, String percentile) {
        Matcher m = Pattern.compile("\\s" + percentile + "\\s+([\\d.]+)(us|ms|s)\\b").matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("no " + percentile + " latency in wrk's output:\n" + text);
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
