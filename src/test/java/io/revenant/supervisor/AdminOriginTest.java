package io.revenant.supervisor;

import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** issue 11 finding 8: a page in a local browser could POST /reload cross-origin. Admin on 127.0.0.1:9000. */
class AdminOriginTest {

    static Stream<Arguments> table() {
        return Stream.of(
                // Origin, Sec-Fetch-Site -> allowed
                Arguments.of(null, null, true),                          // curl, scripts
                Arguments.of("http://127.0.0.1:9000", null, true),
                Arguments.of("http://localhost:9000", null, true),
                Arguments.of("HTTP://LOCALHOST:9000", null, true),
                Arguments.of("http://[::1]:9000", null, true),
                Arguments.of("http://127.0.0.1:9000", "same-origin", true),
                Arguments.of(null, "none", true),                        // typed into the address bar
                Arguments.of("http://evil.example", null, false),
                Arguments.of("http://evil.example:9000", null, false),   // DNS rebinding: Host matches, Origin does not
                Arguments.of("http://127.0.0.1.evil.example:9000", null, false),
                Arguments.of("http://127.0.0.1:9001", null, false),      // another local service
                Arguments.of("http://localhost", null, false),
                Arguments.of("https://127.0.0.1:9000", null, false),
                Arguments.of("null", null, false),                       // sandboxed frame, file: page
                Arguments.of("not a uri", null, false),
                Arguments.of(null, "cross-site", false),
                Arguments.of(null, "same-site", false),                  // another port of localhost
                Arguments.of("http://127.0.0.1:9000", "cross-site", false));
    }

    @ParameterizedTest
    @MethodSource("table")
    void decides(String origin, String fetchSite, boolean allowed) {
        Optional<String> refusal = AdminOrigin.refusal(Optional.ofNullable(origin), Optional.ofNullable(fetchSite),
                                                       "127.0.0.1", 9000);
        assertThat(refusal.toString(), refusal.isEmpty(), is(allowed));
    }

    // issue 12: a container's admin port 9000 published on the host as 127.0.0.1:9001 (the dashboard's buttons)
    static Stream<Arguments> published() {
        return Stream.of(
                // Origin, Host -> allowed
                Arguments.of("http://127.0.0.1:9001", "127.0.0.1:9001", true),
                Arguments.of("http://localhost:9001", "localhost:9001", true),
                Arguments.of("http://127.0.0.1:9001", null, false),                  // no Host: no way to tell
                Arguments.of("http://127.0.0.1:9002", "127.0.0.1:9001", false),      // another container's page
                Arguments.of("http://localhost:9001", "127.0.0.1:9001", false),      // another origin by name
                Arguments.of("http://evil.example:9001", "evil.example:9001", false)); // DNS rebinding
    }

    @ParameterizedTest
    @MethodSource("published")
    void decidesBehindAPublishedPort(String origin, String host, boolean allowed) {
        Optional<String> refusal = AdminOrigin.refusal(Optional.of(origin), Optional.empty(), "0.0.0.0", 9000,
                                                       Optional.ofNullable(host));
        assertThat(refusal.toString(), refusal.isEmpty(), is(allowed));
    }

    @Test
    void acceptsTheConfiguredHostToo() {
        assertThat(AdminOrigin.refusal(Optional.of("http://admin.internal:9000"), Optional.empty(), "admin.internal", 9000),
                   is(Optional.empty()));
        assertThat(AdminOrigin.refusal(Optional.of("http://[fd00::1]:9000"), Optional.empty(), "fd00::1", 9000),
                   is(Optional.empty()));
    }
}
