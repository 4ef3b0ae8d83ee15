package io.revenant.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure parts of scaling in place besides the plan: nginx's processes and connections, the files' comparison, the status. */
class ScaleUnitsTest {

    private static final String BEFORE = """
            1 nginx: master process nginx -g daemon off;\s
            29 nginx: worker process\s
            30 nginx: worker process\s
            77 sh -c for p in /proc/[0-9]*; do …\s
            """;

    @Test
    void nginxsWorkersAreReadFromTheirTitles() {
        NginxProcesses processes = NginxProcesses.parse(BEFORE);
        assertEquals(List.of(29L, 30L), processes.serving());
        assertEquals(List.of(), processes.shuttingDown());
    }

    @Test
    void aReloadTookWhenEveryServingWorkerIsNewAndTheOldOnesAreDrainedWhenGone() {
        NginxProcesses before = NginxProcesses.parse(BEFORE);
        NginxProcesses reloading = NginxProcesses.parse("""
                1 nginx: master process nginx -g daemon off;
                29 nginx: worker process is shutting down
                30 nginx: worker process
                """);
        assertFalse(reloading.reloadedSince(before), "30 still serves with the old configuration");
        NginxProcesses reloaded = NginxProcesses.parse("""
                1 nginx: master process nginx -g daemon off;
                29 nginx: worker process is shutting down
                81 nginx: worker process
                82 nginx: worker process
                """);
        assertTrue(reloaded.reloadedSince(before));
        assertFalse(reloaded.drainedSince(before), "29 still finishes what it has in flight");
        NginxProcesses drained = NginxProcesses.parse("1 nginx: master process\n81 nginx: worker process\n82 nginx: worker process\n");
        assertTrue(drained.drainedSince(before));
        assertFalse(NginxProcesses.parse("1 nginx: master process\n").reloadedSince(before), "no worker serves");
    }

    @Test
    void theClientsConnectionsToNginxAreTheEstablishedOnesOnItsPort() {
        String tcp = """
                  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
                   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1 0
                   1: 0A590006:0050 0A590001:D2A4 01 00000000:00000000 00:00000000 00000000   101        0 2002 1 0
                   2: 0A590006:9C40 0A590003:0BB8 01 00000000:00000000 00:00000000 00000000   101        0 3003 1 0
                   3: 0A590006:0050 0A590001:D2A6 06 00000000:00000000 03:00000000 00000000     0        0 0 3 0
                  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
                   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4004 1 0
                   1: 0000000000000000FFFF00000A590006:0050 0000000000000000FFFF00000A590001:D2A8 01 00000000:00000000 00:00000000 00000000   101        0 5005 1 0
                """;
        assertEquals(java.util.Set.of(2002L, 5005L), NginxProcesses.clientConnections(tcp, 80),
                     "established on :80 only: not listening, not nginx's own connections to the apps, not TIME_WAIT");
    }

    @Test
    void onlyConnectionsOpenBeforeTheFlagCountAsLeftOpen() {
        assertEquals(Set.of(2002L), NginxReload.stillOpen(Set.of(2002L, 5005L), Set.of(2002L, 7007L)),
                     "5005 was closed; 7007 is new (opened after the flag, so its answers close it)");
        assertEquals(Set.of(), NginxReload.stillOpen(Set.of(), Set.of(7007L)));
    }

    @Test
    void theFlagFileIsTheOneNginxsTemplateChecks() throws IOException {
        assertTrue(Files.readString(Path.of("nginx/revenant.conf.template"))
                        .contains("if (-f /etc/nginx/conf.d/" + NginxReload.CLOSING_FLAG + ")"),
                   "the template does not check conf.d/" + NginxReload.CLOSING_FLAG);
        assertFalse(NginxReload.CLOSING_FLAG.endsWith(".conf"), "nginx would read the flag as configuration");
    }

    @Test
    void theStacksFilesDifferOnlyInWhatIsNotAComment(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, "# Generated from config/application.yaml\nname: rv\nservices:\n");
        assertEquals(Optional.empty(), RunningStack.differs(file, "# Generated from /abs/application.yaml\nname: rv\nservices:\n"));
        assertEquals(Optional.of(file + " has \"name: rv\" where these options render \"name: other\""),
                     RunningStack.differs(file, "name: other\nservices:\n"));
        assertEquals(Optional.of(file + " has \"(end of file)\" where these options render \"app3:\""),
                     RunningStack.differs(file, "name: rv\nservices:\n  app3:\n"));
        assertTrue(RunningStack.differs(dir.resolve("missing"), "").orElseThrow().contains("cannot be read"));
    }

    @Test
    void theStatusSaysWhichContainerCountItsWorkersWereWorkedOutFor() {
        String json = """
                {"instance":"i-1","version":"0.1.0","worker-count":"cpus=2 reserve-cpus=0 containers=3 workers=1 basis=host-cpus-shared",
                 "workers":1,"ready":1,"stopping":false}""";
        SupervisorStatus status = SupervisorStatus.parse(json).orElseThrow();
        assertEquals(3, status.containers());
        assertTrue(status.allReady());
        assertEquals(0, SupervisorStatus.parse(json.replace("containers=3 ", "")).orElseThrow().containers());
    }
}
