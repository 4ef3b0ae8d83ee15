package io.revenant.soak;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.revenant.config.ConfigLoader;
import io.revenant.config.RevenantConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The soak runs the shipped config with only its ports, admin and kill endpoint changed. */
class SoakYamlTest {

    @Test
    void theShippedConfigGetsTheSoaksPortsOnLoopbackAndTheKillEndpointAndKeepsTheRest() throws Exception {
        String shipped = Files.readString(Path.of("config/application.yaml"));
        String soak = SoakYaml.rewrite(shipped.replace("# token: change-me", "token: change-me"), 7200, 7210, "");
        RevenantConfig config = ConfigLoader.loadYaml(soak, "soak");
        RevenantConfig original = ConfigLoader.loadYaml(shipped, "shipped");
        assertEquals(7200, config.server().port());
        assertEquals("127.0.0.1", config.server().host());
        assertEquals(7210, config.admin().port());
        assertEquals("127.0.0.1", config.admin().host());
        assertTrue(config.chaos().killEndpoint());
        assertTrue(config.chaos().token().isEmpty(), "the kill loop sends no token");
        assertEquals(original.supervisor(), config.supervisor());
        assertEquals(original.worker(), config.worker());
    }

    @Test
    void missingKeysAndSectionsAreAdded() throws Exception {
        String soak = SoakYaml.rewrite("server:\n  port: 3000   # public\nsupervisor:\n  workers: auto\n", 7200, 7210, "2");
        RevenantConfig config = ConfigLoader.loadYaml(soak, "soak");
        assertEquals(7200, config.server().port());
        assertEquals(7210, config.admin().port());
        assertTrue(config.admin().enabled());
        assertTrue(config.chaos().killEndpoint());
        assertEquals(java.util.OptionalInt.of(2), config.supervisor().workers());
        assertTrue(soak.contains("port: 7200   # public"), soak);
    }

    @Test
    void onlyTheSectionsOwnKeysChangeNotNestedOnes() {
        String soak = SoakYaml.rewrite("server:\n  nested:\n    port: 1\n  port: 3000\n", 7200, 7210, "");
        assertTrue(soak.contains("    port: 1\n  port: 7200\n"), soak);
    }

    @Test
    void aFlowStyleSectionIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                                  () -> SoakYaml.rewrite("server: {port: 3000}\n", 7200, 7210, ""));
        assertTrue(e.getMessage().contains("server"), e.getMessage());
    }
}
