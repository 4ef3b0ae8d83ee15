package io.revenant.supervisor;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class NotifySocketTest {

    @Test
    void parsesFields() {
        assertThat(NotifySocket.parse(" READY=1  WORKER=7 ADMIN_PORT=4100 junk =x\n"),
                   is(Map.of("READY", "1", "WORKER", "7", "ADMIN_PORT", "4100")));
    }
}
