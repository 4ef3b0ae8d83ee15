package io.revenant.soak;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The soak reads the admin /status as JSON: whatever the order of its keys, and nothing from a body that is not one. */
class AdminStatusTest {

    @Test
    void readsCountsRestartsAndSlotStates() {
        String body = """
                {"ready":2,"restarts-by-cause":{"chaos-kill":3,"watchdog":1},"workers":2,
                 "slots":[{"state":"ready","slot":1},{"slot":2,"state":"ready"},{"slot":0,"state":"spare"}]}""";
        AdminStatus status = AdminStatus.parse(body).orElseThrow();
        assertThat(status.workers(), is(2));
        assertThat(status.ready(), is(2));
        assertThat(status.restartsByCause(), is(Map.of("chaos-kill", 3L, "watchdog", 1L)));
        assertThat(status.restarts(), is(4L));
        assertThat(status.states(), is(List.of(new AdminStatus.Slot(1, "ready"), new AdminStatus.Slot(2, "ready"),
                                               new AdminStatus.Slot(0, "spare"))));
        assertThat(status.warmSpares(), is(1L));
    }

    @Test
    void aBodyThatIsNotAStatusIsEmpty() {
        assertThat(AdminStatus.parse("<html>503</html>"), is(Optional.empty()));
        assertThat(AdminStatus.parse("{\"status\":\"UP\"}"), is(Optional.empty()));
    }
}
