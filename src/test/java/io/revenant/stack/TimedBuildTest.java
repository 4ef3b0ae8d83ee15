package io.revenant.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** make image's progress: which lines start a build step, with each engine, and how they are shown. */
class TimedBuildTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "STEP 3/27: RUN apt-get update",                      // Podman, Buildah
        "[1/2] STEP 3/9: WORKDIR /src",                       // the same in a multi-stage build
        "#9 [build 5/7] RUN mvn -B -q -e dependency:go-offline", // docker buildx
        "#12 [stage-1 2/9] COPY --from=build /opt/jre /opt/jre",
        "Step 3/12 : COPY pom.xml ."                          // Docker's classic builder
    })
    void aStepsFirstLineGetsTheElapsedTime(String line) {
        assertTrue(TimedBuild.isStep(line), line);
        assertEquals("[   73.2s] " + line, TimedBuild.line(line, 73_249));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--> 5c50d5cac97", "#9 0.512 Reading package lists...", "#9 DONE 31.2s", "Successfully tagged localhost/revenant:0.1.0",
        "  STEP 3/27: indented is someone else's output", ""
    })
    void everyOtherLinePassesUnchanged(String line) {
        assertFalse(TimedBuild.isStep(line), line);
        assertEquals(line, TimedBuild.line(line, 1_000));
    }

    @Test
    void theBuildsExitCodeIsTheTools() {
        assertEquals(0, TimedBuild.run(new String[] {"--label", "test", "--", "true"}));
        assertEquals(3, TimedBuild.run(new String[] {"--", "sh", "-c", "echo 'STEP 1/1: FROM scratch'; exit 3"}));
        assertEquals(64, TimedBuild.run(new String[] {"true"}));
    }
}
