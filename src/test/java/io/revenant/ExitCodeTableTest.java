package io.revenant;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13, "docs that cannot drift": the exit-code table of docs/operations.md against the
 * constants the code exits with. A code the code uses and the table lacks, or a row for a code
 * nobody exits with, fails here. The classes are named by string in one place, so when the exit
 * codes move (one exit-code class) only {@link #SUPERVISOR} and {@link #WORKER} change.
 */
class ExitCodeTableTest {

    private static final Path TABLE = Path.of("docs/operations.md");
    private static final String HEADER = "| code | supervisor | worker |";
    private static final String NONE = "—";

    private static final String SUPERVISOR = "io.revenant.protocol.SupervisorExit";
    private static final String WORKER = "io.revenant.protocol.WorkerExit";
    private static final String TOOLS = "io.revenant.protocol.ToolExit";
    private static final String TOOLS_HEADER = "| code | tools |";
    /** In the worker column but no constant: the java launcher's own exit when the JVM cannot start. */
    private static final Set<Integer> WORKER_JVM_CODES = Set.of(1);

    /** The codes with an entry (not {@code —}) in a column: 1 = supervisor, 2 = worker; 128+N is left out. */
    private static Set<Integer> documented(int column) throws IOException {
        return documented(HEADER, column);
    }

    private static Set<Integer> documented(String heading, int column) throws IOException {
        List<String> lines = Files.readAllLines(TABLE);
        int header = lines.indexOf(heading);
        assertTrue(header >= 0, TABLE + " has no exit-code table headed " + heading);
        Set<Integer> codes = new TreeSet<>();
        for (String line : lines.subList(header + 2, lines.size())) {
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.split("\\|");
            String code = cells[1].trim();
            if (code.matches("\\d+") && !cells[column + 1].trim().equals(NONE)) {
                codes.add(Integer.parseInt(code));
            }
        }
        return codes;
    }

    private static Set<Integer> constants(String className) throws ReflectiveOperationException {
        Set<Integer> codes = new TreeSet<>();
        for (Field field : Class.forName(className).getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                field.setAccessible(true);
                codes.add(field.getInt(null));
            }
        }
        return codes;
    }

    @Test
    void theSupervisorColumnListsExactlyTheSupervisorsExitCodes() throws Exception {
        assertEquals(constants(SUPERVISOR), documented(1),
                "exit codes of " + SUPERVISOR + " vs the supervisor column of " + TABLE);
    }

    @Test
    void theWorkerColumnListsExactlyTheWorkersExitCodes() throws Exception {
        Set<Integer> expected = new TreeSet<>(constants(WORKER));
        expected.addAll(WORKER_JVM_CODES);
        assertEquals(expected, documented(2), "exit codes of " + WORKER + " (and the JVM's "
                + WORKER_JVM_CODES + ") vs the worker column of " + TABLE);
    }

    @Test
    void theToolsTableListsExactlyTheToolsExitCodes() throws Exception {
        Set<Integer> expected = new TreeSet<>(constants(TOOLS));
        expected.add(0);
        assertEquals(expected, documented(TOOLS_HEADER, 1), "exit codes of " + TOOLS + " (and 0) vs the tools table of " + TABLE);
    }
}
