package io.revenant.log;

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 13, "DeployLog as a verbatim copy of EventLog": one line format for the supervisor's
 * events and make deploy's. The deploy's copy had drifted: it left newlines and control
 * characters as they were, so an engine error of several lines split one event over several.
 */
class EventLineTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            revenant-app1     | revenant-app1
            ''                | '""'
            two words         | '"two words"'
            a=b               | '"a=b"'
            say "hi"          | '"say \\"hi\\""'
            back\\slash        | back\\slash
            'line1\nline2'    | '"line1\\nline2"'
            """)
    void aValueIsBareOnlyWhenItIsOnePlainWord(String value, String expected) {
        assertEquals(expected, EventLine.quoted(value.replace("\\n", "\n")));
    }

    @Test
    void controlCharactersAreEscapedSoAnEventIsOneLine() {
        String line = EventLine.format(Instant.parse("2026-12-02T03:00:00Z"), "container-remove-failed",
                                       "name", "revenant-app1", "reason", "Error: no such container\r\n\tat x\u0007", "odd");
        assertEquals("2026-12-02T03:00:00Z event=container-remove-failed name=revenant-app1"
                     + " reason=\"Error: no such container\\r\\n\\x09at x\\x07\"", line);
        assertEquals(1, line.lines().count());
    }
}
