package io.revenant.testing;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The tests read answers as JSON, not text: a field is the top-level one whatever its neighbours,
 * and a slot's pid is found whatever the order of its keys (the regexes this replaced needed
 * {@code "pid":N,"state":"ready"} side by side and took the first {@code "pid"} anywhere).
 */
class HttpResponseTest {

    /** An admin /status as a future supervisor might order it: keys reordered, a nested pid first. */
    private static final String STATUS = """
            {"slots":[{"state":"ready","slot":1,"pid":4211,"admin-port":43965},
                      {"slot":2,"pid":4212,"state":"starting","admin-port":-1},
                      {"slot":0,"state":"ready","pid":4213}],
             "pid":4200,"instance":"5c0-a","ready":2}""";

    @Test
    void aFieldIsTheTopLevelOneAsText() {
        Http.Response status = new Http.Response(200, STATUS);
        assertThat(status.field("pid"), is("4200"));
        assertThat(status.field("instance"), is("5c0-a"));
        assertThrows(IllegalStateException.class, () -> status.field("version"));
        assertThrows(IllegalStateException.class, () -> new Http.Response(502, "<html>Bad Gateway</html>").field("pid"));
    }

    @Test
    void readyPidsAreTheReadySlotsWhateverTheKeyOrder() {
        assertThat(new Http.Response(200, STATUS).readyPids(), is(List.of(4211L, 4213L)));
        assertThat(new Http.Response(200, "not json").readyPids(), is(List.of()));
    }
}
