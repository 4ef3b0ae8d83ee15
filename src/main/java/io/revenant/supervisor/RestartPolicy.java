package io.revenant.supervisor;

import io.revenant.config.RestartSetting;

/** The restart table (exit cause × {@code supervisor.restart}), as a pure function. */
final class RestartPolicy {

    private RestartPolicy() {
    }

    static boolean restarts(RestartSetting setting, ExitCause cause) {
        if (cause.kind() == ExitCause.Kind.REQUESTED) {
            return false;
        }
        return switch (setting) {
            case ALWAYS -> true;
            case ON_FAILURE -> cause.failure();
            case NO -> false;
        };
    }
}
