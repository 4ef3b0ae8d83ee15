package io.revenant.worker;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StartStepsTest {

    @Test
    void theLineHasEachStepInOrderAndTheTotalFromExec() {
        StartSteps steps = StartSteps.atMain();
        steps.mark("borrow");
        steps.mark("ready");
        String line = steps.line(7, 4242);
        assertTrue(line.matches(".* event=worker-start-steps worker=7 pid=4242 main-ms=[0-9.]+ main-cpu-ms=-?\\d+"
                                        + " borrow-ms=[0-9.]+ borrow-cpu-ms=-?\\d+ ready-ms=[0-9.]+ ready-cpu-ms=-?\\d+"
                                        + " total-ms=[0-9.]+ cpu-ms=-?\\d+"), line);
        // this JVM has run for a while: the time since exec is more than the steps after main
        double main = number(line, "main-ms");
        double total = number(line, "total-ms");
        assertThat(total, greaterThanOrEqualTo(main));
        assertThat(main, greaterThanOrEqualTo(10.0));
        assertThat(line, containsString(" cpu-ms="));
    }

    private static double number(String line, String key) {
        Matcher m = Pattern.compile(" " + key + "=([0-9.]+)").matcher(line);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
