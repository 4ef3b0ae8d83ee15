package io.revenant.supervisor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.revenant.config.RestartSetting;
import io.revenant.protocol.SupervisorExit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * What follows an exit, row by row: the worker's place × its exit × supervisor.restart × the start
 * limit (FULL: the next counted failure trips it; ROOM: it does not). {@code counted}: whether the
 * exit was recorded as a failure restart in the start limit.
 */
class AfterExitTest {

    @ParameterizedTest(name = "{0} {1} ready={2} stopping={3} {4} limit={5} -> {6}, counted={7}")
    @CsvSource({
            // place     cause          ready  stop   restart     limit  after                 counted
            "SLOT,      EXIT_CODE,     false, false, ALWAYS,     ROOM,  RESTART,              true",
            "SLOT,      EXIT_CODE,     false, false, ALWAYS,     FULL,  GIVE_UP_BOOT_FAILURE, true",
            "SLOT,      SIGNAL,        true,  false, ON_FAILURE, FULL,  GIVE_UP_CRASH_LOOP,   true",
            "SLOT,      EARLY_EXIT,    false, false, ON_FAILURE, FULL,  GIVE_UP_BOOT_FAILURE, true",
            "SLOT,      WATCHDOG,      true,  false, ALWAYS,     ROOM,  RESTART,              true",
            "SLOT,      START_TIMEOUT, false, false, ALWAYS,     ROOM,  RESTART,              true",
            // a chaos kill and a clean exit say nothing about the pool's health
            "SLOT,      CHAOS_KILL,    true,  false, ALWAYS,     FULL,  RESTART,              false",
            "SLOT,      CLEAN,         true,  false, ALWAYS,     FULL,  RESTART,              false",
            "SLOT,      CLEAN,         true,  false, ON_FAILURE, FULL,  LEAVE_EMPTY,          false",
            "SLOT,      EXIT_CODE,     true,  false, NO,         FULL,  LEAVE_EMPTY,          false",
            "SLOT,      REQUESTED,     true,  false, ALWAYS,     FULL,  LEAVE_EMPTY,          false",
            "SLOT,      EXIT_CODE,     true,  true,  ALWAYS,     FULL,  NOTHING,              false",
            // a new worker of a rolling replacement; the old one keeps serving
            "SUCCESSOR, EXIT_CODE,     false, false, ALWAYS,     ROOM,  ABANDON_REPLACEMENT,  true",
            "SUCCESSOR, EXIT_CODE,     false, false, NO,         ROOM,  ABANDON_REPLACEMENT,  true",
            "SUCCESSOR, CHAOS_KILL,    false, false, ALWAYS,     FULL,  GIVE_UP_BOOT_FAILURE, true",
            "SUCCESSOR, REQUESTED,     false, false, ALWAYS,     FULL,  NOTHING,              false",
            "SUCCESSOR, EXIT_CODE,     false, true,  ALWAYS,     FULL,  NOTHING,              false",
            // an unbound spare: never ready as a slot's worker, so a give-up is a boot failure
            "SPARE,     EXIT_CODE,     false, false, ALWAYS,     ROOM,  RETRY_SPARE,          true",
            "SPARE,     SIGNAL,        false, false, NO,         FULL,  GIVE_UP_BOOT_FAILURE, true",
            "SPARE,     REQUESTED,     false, false, ALWAYS,     FULL,  NOTHING,              false",
            "SPARE,     EXIT_CODE,     false, true,  ALWAYS,     FULL,  NOTHING,              false",
            // scaled down, or the old worker of a finished replacement
            "RETIRED,   EXIT_CODE,     true,  false, ALWAYS,     FULL,  NOTHING,              false",
    })
    void table(AfterExit.Place place, ExitCause.Kind kind, boolean wasReady, boolean stopping, RestartSetting restart,
               String limit, AfterExit expected, boolean counted) {
        StartLimit startLimit = new StartLimit(limit.equals("FULL") ? 0 : 100, 10_000);
        AfterExit after = AfterExit.decide(place, new ExitCause(kind, 1, "x"), wasReady, stopping, restart, startLimit, 5_000);
        assertThat(after, is(expected));
        assertThat("recorded in the start limit", startLimit.recent(), is(counted ? 1 : 0));
    }

    @ParameterizedTest(name = "{0} exits {1}")
    @CsvSource({"GIVE_UP_BOOT_FAILURE, true", "GIVE_UP_CRASH_LOOP, true", "RESTART, false", "NOTHING, false"})
    void onlyAGiveUpStopsTheSupervisor(AfterExit after, boolean givesUp) {
        assertThat(after.givesUp(), is(givesUp));
    }

    @ParameterizedTest(name = "{0}: exit {1}")
    @CsvSource({"GIVE_UP_BOOT_FAILURE, " + SupervisorExit.BOOT_FAILURE, "GIVE_UP_CRASH_LOOP, " + SupervisorExit.CRASH_LOOP})
    void aGiveUpExitsWithItsCode(AfterExit after, int code) {
        assertThat(after.exitCode(), is(code));
    }
}
