package io.revenant.stack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Issue 13, "CLI defaults: StackMain, DeployMain, K8sMain, stack.mk": the tools' options and
 * defaults in one place, and a bad value named with what it takes (before, one message covered
 * --publish-base and --nginx-port together and quoted Java's "For input string").
 */
class ToolOptionsTest {

    @Test
    void withoutOptionsTheHostOptionsAreTheDefaults() {
        StackSettings.HostOptions host = ToolOptions.parse(new String[] {"render"}).hostOptions("revenant:1.0");
        assertEquals(new StackSettings.HostOptions("revenant", "revenant:1.0", "nginx:1.27", "127.0.0.1", -1, 3333, true), host);
    }

    @Test
    void givenOptionsWin() {
        ToolOptions options = ToolOptions.parse(new String[] {"render", "--project", "p", "--nginx-port", "5333",
                                                              "--healthcheck", "false", "--timeout", "90s"});
        StackSettings.HostOptions host = options.hostOptions("i");
        assertEquals(List.of("p", 5333, false), List.of(host.project(), host.nginxPort(), host.healthcheck()));
        assertEquals(Duration.ofSeconds(90), options.seconds("timeout", ToolOptions.DEPLOY_TIMEOUT));
        assertEquals(Duration.ofSeconds(60), ToolOptions.parse(new String[] {"deploy"}).seconds("timeout", "60s"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            nginx port    | --nginx-port   | x   | --nginx-port takes a port number; got x
            publish base  | --publish-base | 3e3 | --publish-base takes a port number; got 3e3
            timeout       | --timeout      | 1m  | --timeout takes whole seconds, e.g. 60s; got 1m
            """)
    void aBadValueIsNamedWithWhatItTakes(String what, String option, String value, String message) {
        ToolOptions options = ToolOptions.parse(new String[] {"render", option, value});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            options.hostOptions("i");
            options.seconds("timeout", "60s");
        });
        assertEquals(message, e.getMessage());
    }

    @Test
    void aMissingCommandOrValueGoesToUsage() {
        List<String> problems = new ArrayList<>();
        ToolOptions.Command never = (name, options) -> {
            throw new AssertionError("ran " + name);
        };
        for (String[] args : List.of(new String[0], new String[] {"deploy"}, new String[] {"render", "--image"})) {
            assertEquals(64, ToolOptions.dispatch(args, List.of("render"), never, problem -> {
                problems.add(problem);
                return 64;
            }));
        }
        assertEquals(List.of("no command", "unknown command deploy", "expected --option value, got --image"), problems);
    }
}
