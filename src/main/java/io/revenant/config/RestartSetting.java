package io.revenant.config;

/** {@code supervisor.restart}: when a worker that exited is started again (systemd's Restart=). */
public enum RestartSetting {
    /** Restart after any exit that the supervisor did not ask for. */
    ALWAYS("always"),
    /** Restart after a non-zero exit code, a signal, a watchdog timeout or a failed start. */
    ON_FAILURE("on-failure"),
    /** Never restart; the slot stays empty. */
    NO("no");

    private final String yaml;

    RestartSetting(String yaml) {
        this.yaml = yaml;
    }

    /** The spelling used in application.yaml. */
    public String yaml() {
        return yaml;
    }
}
