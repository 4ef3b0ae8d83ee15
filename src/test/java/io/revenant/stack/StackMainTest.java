package io.revenant.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class StackMainTest {

    @TempDir
    Path dir;

    private int render(String yaml) throws IOException {
        Path config = dir.resolve("config/application.yaml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, yaml);
        return StackMain.run(new String[] {"render", "--config", config.toString(), "--out", dir.resolve("out").toString(),
                                           "--image", "revenant:9.9", "--nginx-template", NginxConfTest.TEMPLATE.toString()});
    }

    @Test
    void containersInTheConfigDecideWhatIsRendered() throws IOException {
        assertEquals(0, render("supervisor:\n  containers: 4\n"));
        String compose = Files.readString(dir.resolve("out/compose.yaml"));
        assertThat(compose, containsString("app4:"));
        assertThat(compose, containsString("\"127.0.0.1:3004:3000\""));
        assertThat(Files.readString(dir.resolve("out/nginx/default.conf")), containsString("server app4:3000"));
        StackEnv env = StackEnv.read(dir.resolve("out/stack.env"));
        assertEquals(4, env.containers());
        assertEquals("revenant-app4", env.appContainers().get(3));
        assertEquals(3004, env.appPorts().get(3));
        assertEquals(3333, env.nginxPort());
        assertFalse(env.sticky());
    }

    @Test
    void anInvalidConfigExits78AndRendersNothing() throws IOException {
        assertEquals(StackMain.CONFIG, render("supervisor:\n  containers: 0\n"));
        assertFalse(Files.exists(dir.resolve("out/compose.yaml")));
    }

    @Test
    void publishedPortsFollowServerPort() throws IOException {
        assertEquals(0, render("server:\n  port: 8080\nsupervisor:\n  containers: 2\n"));
        assertThat(Files.readString(dir.resolve("out/compose.yaml")), containsString("\"127.0.0.1:8082:8080\""));
    }

    @Test
    void aMissingImageIsAUsageError() {
        assertEquals(StackMain.USAGE, StackMain.run(new String[] {"render", "--config", "config/application.yaml"}));
        assertEquals(StackMain.USAGE, StackMain.run(new String[] {"deploy"}));
    }
}
