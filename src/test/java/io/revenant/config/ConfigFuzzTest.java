package io.revenant.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.revenant.supervisor.SupervisorMain;
import io.revenant.testing.FreePorts;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * issue 11, "a seeded config fuzzer": mutations of the shipped {@code config/application.yaml}
 * (lines deleted, duplicated, swapped, re-indented; values swapped, emptied, made huge, negative,
 * lists or deep nests; random and invalid UTF-8 bytes; truncation; unknown keys). Each one must
 * either load, or be refused with errors that a user can act on:
 * <ul>
 *   <li>every error names a key, or (a file-level problem: syntax, encoding) a line and column,
 *       or is the size cap's error, which names the size and the cap;</li>
 *   <li>no error spans two lines or mentions an exception;</li>
 *   <li>never another exception type, and never longer than {@link #HANG_GUARD} (a hang guard,
 *       not a speed assertion).</li>
 * </ul>
 * A subset then goes through the real supervisor process: the refused ones exit 78 with no
 * stack trace. Every failure message carries the mutation's seed; rerun one with
 * {@code -Dfuzz.seed=<seed> -Dfuzz.mutations=1}.
 */
class ConfigFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 0x11_2026L);
    private static final int MUTATIONS = Integer.getInteger("fuzz.mutations", 600);
    private static final Duration HANG_GUARD = Duration.ofSeconds(5);

    private static final Pattern AT_LINE = Pattern.compile("^line \\d+, column \\d+: \\S");
    private static final Pattern SIZE = Pattern.compile("^file is (at least )?\\d+ bytes; the limit is "
                                                        + ConfigLoader.MAX_BYTES + " bytes \\(1 MiB\\)$");
    private static final Pattern VALUE_LINE = Pattern.compile("^(\\s*)([A-Za-z][\\w-]*):(\\s+)([^#\\s][^#]*?)(\\s+#.*)?$");

    @TempDir
    Path dir;

    /** One mutated file: its seed (rerun it alone), what was done, and its bytes. */
    record Mutant(long seed, List<String> operations, byte[] bytes) {

        String describe() {
            String text = new String(bytes, StandardCharsets.UTF_8);
            String shown = text.length() > 3000 ? text.substring(0, 3000) + "\n…(" + bytes.length + " bytes)" : text;
            return "seed " + seed + " (-Dfuzz.seed=" + seed + " -Dfuzz.mutations=1), mutations " + operations
                   + "\n--- mutated file ---\n" + shown + "\n---";
        }
    }

    /** Either the loaded config or the refusal. */
    record Outcome(RevenantConfig config, ConfigException refusal) {
    }

    @Test
    void everyMutationLoadsOrNamesAKeyOrALine() throws IOException {
        byte[] base = Files.readAllBytes(Path.of("config/application.yaml"));
        int loaded = 0;
        int refused = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < MUTATIONS; i++) {
            Mutant mutant = mutate(base, SEED + i);
            try {
                if (load(mutant).config() != null) {
                    loaded++;
                } else {
                    refused++;
                }
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + MUTATIONS + " mutations failed; the first ones:\n\n"
                 + String.join("\n\n", failures.subList(0, Math.min(5, failures.size()))));
        }
        // the fuzzer must exercise both paths, or it proves nothing
        if (loaded < MUTATIONS / 20 || refused < MUTATIONS / 4) {
            fail("seed " + SEED + ": " + loaded + " of " + MUTATIONS + " mutations loaded and " + refused
                 + " were refused; the mutations have drifted");
        }
    }

    /**
     * The real exit code: the first 12 refused mutations (from the seed) make the supervisor
     * exit 78 and print no stack trace, in a JVM with the supervisor's own 16 MiB heap.
     */
    @Test
    void refusedMutationsExit78WithoutAStackTrace() throws Exception {
        byte[] base = Files.readAllBytes(Path.of("config/application.yaml"));
        int checked = 0;
        for (int i = 0; checked < 12 && i < MUTATIONS; i++) {
            Mutant mutant = mutate(base, SEED + i);
            if (load(mutant).config() != null) {
                continue;
            }
            checked++;
            Path file = dir.resolve("refused-" + i + ".yaml");
            Files.write(file, mutant.bytes());
            Process process = new ProcessBuilder(java(file)).redirectErrorStream(true).start();
            try {
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    fail("still running after 60 s: " + mutant.describe());
                }
                if (process.exitValue() != 78 || output.contains("\tat ") || output.contains("Exception")) {
                    fail("exit " + process.exitValue() + " (78 expected), output:\n" + output + "\n" + mutant.describe());
                }
            } finally {
                process.destroyForcibly();
            }
        }
        if (checked < 12) {
            fail("seed " + SEED + ": only " + checked + " refused mutations in " + MUTATIONS);
        }
    }

    /**
     * issue 11 finding 3: at start, a 50 MB file gave exit 1 and a 17-line OOM trace in the
     * supervisor's 16 MiB heap (4 MB: the same, after 4 s). Both now exit 78 naming size and cap.
     */
    @Test
    void hugeFilesExit78InTheSupervisorsHeap() throws Exception {
        for (long size : new long[] {4L << 20, 50L << 20}) {
            Path file = dir.resolve("huge-" + size + ".yaml");
            try (var out = Files.newOutputStream(file)) {
                out.write("server:\n  port: 3000\n".getBytes(StandardCharsets.UTF_8));
                byte[] comment = ("# " + "x".repeat(1021) + "\n").getBytes(StandardCharsets.UTF_8);
                for (long written = 0; written < size; written += comment.length) {
                    out.write(comment);
                }
            }
            Process process = new ProcessBuilder(java(file)).redirectErrorStream(true).start();
            try {
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    fail("still running after 60 s with a " + size + " byte file");
                }
                String expected = file + ": file is " + Files.size(file) + " bytes; the limit is 1048576 bytes (1 MiB)";
                if (process.exitValue() != 78 || !output.contains(expected) || output.contains("\tat ")) {
                    fail("exit " + process.exitValue() + " (78 expected) with a " + size + " byte file, output:\n" + output);
                }
            } finally {
                process.destroyForcibly();
            }
        }
    }

    /**
     * And one accepted mutation really starts: the supervisor logs supervisor-start, and SIGTERM
     * then stops it with exit 0 (its ports moved to free ones on loopback).
     */
    @Test
    void anAcceptedMutationStarts() throws Exception {
        byte[] base = Files.readAllBytes(Path.of("config/application.yaml"));
        for (int i = 0; i < MUTATIONS; i++) {
            Mutant mutant = mutate(base, SEED + i);
            String text = new String(mutant.bytes(), StandardCharsets.UTF_8);
            RevenantConfig config = load(mutant).config();
            if (config == null || !text.contains("  port: 3000 ") || !text.contains("  port: 9000")
                || !text.contains("  host: 0.0.0.0 ") || config.supervisor().timeoutStop().toSeconds() > 10
                || mutant.operations().stream().noneMatch(op -> op.startsWith("set line"))) {
                continue;
            }
            Path file = dir.resolve("accepted-" + i + ".yaml");
            int port = FreePorts.other();
            Files.writeString(file, text.replace("  port: 3000 ", "  port: " + port + " ")
                    .replace("  port: 9000", "  port: " + FreePorts.other(port)).replace("  host: 0.0.0.0 ", "  host: 127.0.0.1 "));
            Process process = new ProcessBuilder(java(file)).redirectErrorStream(true).start();
            List<ProcessHandle> children = new ArrayList<>();
            StringBuffer output = new StringBuffer();
            // the deadline: a supervisor that never starts, or never stops, is killed, which ends the read
            Thread deadline = Thread.ofPlatform().daemon().start(() -> {
                try {
                    if (!process.waitFor(60, TimeUnit.SECONDS)) {
                        output.append("(killed: no start and stop within 60 s)\n");
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                                                                                        StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.append(line).append('\n');
                    if (line.contains("event=supervisor-start")) {
                        children.addAll(process.descendants().toList());
                        process.toHandle().destroy();
                    }
                }
                process.waitFor(30, TimeUnit.SECONDS);
            } finally {
                deadline.interrupt();
                children.addAll(process.descendants().toList());
                process.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(10, TimeUnit.SECONDS);
            }
            if (!output.toString().contains("event=supervisor-start") || process.exitValue() != 0
                || output.toString().contains("\tat ")) {
                fail("exit " + process.exitValue() + " (0 after supervisor-start expected), output:\n" + output
                     + mutant.describe());
            }
            return;
        }
        fail("seed " + SEED + ": no accepted mutation that sets a value in " + MUTATIONS);
    }

    private static List<String> java(Path config) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                       "-Xmx16m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                       "-cp", System.getProperty("java.class.path"), SupervisorMain.class.getName(), config.toString());
    }

    private Outcome load(Mutant mutant) throws IOException {
        Path file = dir.resolve("application.yaml");
        Files.write(file, mutant.bytes());
        Outcome outcome;
        try {
            outcome = assertTimeoutPreemptively(HANG_GUARD, () -> {
                try {
                    return new Outcome(ConfigLoader.load(file), null);
                } catch (ConfigException e) {
                    return new Outcome(null, e);
                }
            }, () -> "no answer within " + HANG_GUARD.toMillis() + " ms: " + mutant.describe());
        } catch (AssertionError e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError("threw " + e + " instead of loading or a ConfigException: " + mutant.describe(), e);
        }
        if (outcome.refusal() != null) {
            if (outcome.refusal().errors().isEmpty()) {
                fail("a ConfigException without errors: " + mutant.describe());
            }
            for (ConfigError error : outcome.refusal().errors()) {
                String shown = error.toString();
                boolean named = !error.key().isBlank() || AT_LINE.matcher(error.detail()).find()
                                || SIZE.matcher(error.detail()).matches();
                if (!named || shown.contains("\n") || shown.contains("\r") || shown.contains("Exception")) {
                    fail("an error that names no key and no line, or is not one line: \"" + shown + "\"\n"
                         + mutant.describe());
                }
            }
        }
        return outcome;
    }

    // ---- mutations ------------------------------------------------------------------------------

    static Mutant mutate(byte[] base, long seed) {
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>(new String(base, StandardCharsets.UTF_8).lines().toList());
        List<String> done = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int n = 0; n < count; n++) {
            done.add(mutateLines(lines, random));
        }
        byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(8) == 0) {
            bytes = insertBytes(bytes, random);
            done.add("random bytes");
        }
        if (random.nextInt(40) == 0) {
            // past the cap: a comment, so only the size is wrong
            byte[] grown = java.util.Arrays.copyOf(bytes, ConfigLoader.MAX_BYTES + 1 + random.nextInt(4 << 20));
            java.util.Arrays.fill(grown, bytes.length, grown.length, (byte) '#');
            bytes = grown;
            done.add("grow to " + grown.length + " bytes");
        }
        if (random.nextInt(10) == 0) {
            int length = random.nextInt(bytes.length + 1);
            bytes = java.util.Arrays.copyOf(bytes, length);
            done.add("truncate at byte " + length);
        }
        return new Mutant(seed, done, bytes);
    }

    private static String mutateLines(List<String> lines, Random random) {
        if (lines.isEmpty()) {
            lines.add(randomKey(random) + ": " + randomValue(random));
            return "add a line to an empty file";
        }
        int at = random.nextInt(lines.size());
        List<Integer> values = valueLines(lines);
        int valueAt = values.isEmpty() ? at : values.get(random.nextInt(values.size()));
        switch (random.nextInt(15)) {
            case 0 -> {
                lines.remove(at);
                return "delete line " + (at + 1);
            }
            case 1 -> {
                lines.add(random.nextInt(lines.size() + 1), lines.get(at));
                return "duplicate line " + (at + 1);
            }
            case 2 -> {
                if (values.size() < 2) {
                    return "no values to swap";
                }
                int other = values.get(random.nextInt(values.size()));
                Matcher a = VALUE_LINE.matcher(lines.get(valueAt));
                Matcher b = VALUE_LINE.matcher(lines.get(other));
                if (a.matches() && b.matches()) {
                    lines.set(valueAt, a.group(1) + a.group(2) + ":" + a.group(3) + b.group(4));
                    lines.set(other, b.group(1) + b.group(2) + ":" + b.group(3) + a.group(4));
                }
                return "swap values of lines " + (valueAt + 1) + " and " + (other + 1);
            }
            case 3, 4, 5 -> {
                Matcher m = VALUE_LINE.matcher(lines.get(valueAt));
                String value = randomValue(random);
                if (m.matches()) {
                    lines.set(valueAt, m.group(1) + m.group(2) + ": " + value);
                }
                return "set line " + (valueAt + 1) + " to " + abbreviate(value);
            }
            case 6 -> {
                int spaces = 1 + random.nextInt(4);
                String line = lines.get(at);
                lines.set(at, random.nextBoolean() ? " ".repeat(spaces) + line
                        : line.substring(Math.min(spaces, line.length() - line.stripLeading().length())));
                return "re-indent line " + (at + 1);
            }
            case 7 -> {
                String line = lines.get(at);
                int offset = random.nextInt(line.length() + 1);
                lines.set(at, random.nextBoolean() ? "\t" + line.stripLeading() : line.substring(0, offset) + "\t" + line.substring(offset));
                return "tab in line " + (at + 1);
            }
            case 8 -> {
                String indent = List.of("", "  ", "    ").get(random.nextInt(3));
                lines.add(random.nextInt(lines.size() + 1), indent + randomKey(random) + ": " + randomValue(random));
                return "insert a key";
            }
            case 9 -> {
                Matcher m = VALUE_LINE.matcher(lines.get(valueAt));
                if (m.matches()) {
                    lines.set(valueAt, m.group(1) + m.group(2) + ":");
                    lines.add(valueAt + 1, m.group(1) + "  - " + m.group(4));
                }
                return "value of line " + (valueAt + 1) + " as a block list";
            }
            case 10 -> {
                int depth = 1 + random.nextInt(80);
                StringBuilder nest = new StringBuilder();
                for (int d = 0; d < depth; d++) {
                    nest.append("  ".repeat(d)).append(randomKey(random)).append(":\n");
                }
                nest.append("  ".repeat(depth)).append("leaf: 1");
                lines.add(random.nextInt(lines.size() + 1), nest.toString());
                return "nest " + depth + " sections deep";
            }
            case 11 -> {
                int other = random.nextInt(lines.size());
                String line = lines.get(at);
                lines.set(at, lines.get(other));
                lines.set(other, line);
                return "swap lines " + (at + 1) + " and " + (other + 1);
            }
            case 12 -> {
                String line = lines.get(at);
                lines.set(at, random.nextBoolean() ? line.toUpperCase(java.util.Locale.ROOT) : line.replaceFirst(":", ""));
                return "break the key of line " + (at + 1);
            }
            case 13 -> {
                String line = lines.get(at);
                lines.set(at, line.startsWith("#") ? line.substring(1).stripLeading() : "# " + line);
                return "(un)comment line " + (at + 1);
            }
            default -> {
                String marker = List.of("---", "...", "%YAML 1.1", "&a", "*a", "? x", "- x", "{", "[", "\"", "'", "|", ">", "@",
                                        "`", "!!str", "!foo x", "<<: *a", ": x").get(random.nextInt(19));
                String line = lines.get(at);
                int offset = random.nextInt(line.length() + 1);
                lines.set(at, line.substring(0, offset) + marker + line.substring(offset));
                return "insert " + marker + " in line " + (at + 1);
            }
        }
    }

    private static List<Integer> valueLines(List<String> lines) {
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (VALUE_LINE.matcher(lines.get(i)).matches()) {
                values.add(i);
            }
        }
        return values;
    }

    private static String randomKey(Random random) {
        return List.of("bogus", "server", "port", "host", "workers", "token", "Server", "server.port", "spare",
                       "restart-sec", "jvm-options", "x".repeat(1 + random.nextInt(300)), "ünïcode", "a b")
                .get(random.nextInt(14));
    }

    static String randomValue(Random random) {
        int depth = 1 + random.nextInt(120);
        return switch (random.nextInt(12)) {
            case 0 -> Long.toString(random.nextLong() >> random.nextInt(64));
            case 1 -> List.of("0", "1", "-1", "65535", "65536", "99999999999999999999999", "0.5", "1e9", "0x1F", "0o17",
                              "1_000", ".inf", "-.inf", ".nan", "+3", "007").get(random.nextInt(16));
            case 2 -> (random.nextBoolean() ? "-" : "") + random.nextInt(100_000) + (random.nextBoolean() ? "." + random.nextInt(10) : "")
                      + List.of("", "ms", "s", "sec", "min", "m", "h", "d", " s", "parsecs", "MS").get(random.nextInt(11));
            case 3 -> List.of("true", "false", "yes", "no", "on", "off", "TRUE", "maybe", "auto", "always", "on-failure",
                              "sometimes").get(random.nextInt(12));
            case 4 -> List.of("\"\"", "''", "~", "null", "\" \"", "\"\\t\"", "").get(random.nextInt(7));
            case 5 -> List.of("[1, 2]", "[]", "{}", "{a: 1}", "[[[]]]", "[-Xmx64m, [nested]]", "{port: 3000}")
                    .get(random.nextInt(7));
            case 6 -> "x".repeat(1 + random.nextInt(random.nextInt(20) == 0 ? ConfigLoader.MAX_BYTES + 4096 : 20_000));
            case 7 -> "[".repeat(depth) + "]".repeat(depth);
            case 8 -> "{a: ".repeat(depth) + "1" + "}".repeat(depth);
            case 9 -> List.of("\"\\x00\"", "\"\\u00e9\"", "\"a\\tb\"", "\"\\e[31m\"", "ünïcode", "😀", "127.0.0.1",
                              "999.1.1.1", "::1", "\"unterminated", "'unterminated", "a: b", "- x").get(random.nextInt(13));
            case 10 -> "&a " + List.of("1", "[*a]", "{k: *a}").get(random.nextInt(3));
            default -> {
                StringBuilder text = new StringBuilder();
                int length = 1 + random.nextInt(40);
                for (int i = 0; i < length; i++) {
                    text.append((char) (0x20 + random.nextInt(0x5f)));
                }
                yield text.toString();
            }
        };
    }

    private static byte[] insertBytes(byte[] bytes, Random random) {
        int count = 1 + random.nextInt(8);
        byte[] noise = new byte[count];
        for (int i = 0; i < count; i++) {
            noise[i] = switch (random.nextInt(6)) {
                case 0 -> 0;
                case 1 -> (byte) 0xff;
                case 2 -> (byte) 0xc3;
                case 3 -> (byte) 0x80;
                case 4 -> 0x1b;
                default -> (byte) random.nextInt(256);
            };
        }
        int at = random.nextInt(bytes.length + 1);
        byte[] out = new byte[bytes.length + count];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(noise, 0, out, at, count);
        System.arraycopy(bytes, at, out, at + count, bytes.length - at);
        return out;
    }

    private static String abbreviate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…(" + value.length() + ")" : value;
    }
}
