package io.revenant.config;

/** {@code supervisor.tcp-migrate-req}: whether the supervisor sets {@code net.ipv4.tcp_migrate_req=1}. */
public enum TcpMigrateSetting {
    /** Only when running as PID 1, i.e. as a container entrypoint in its own network namespace. */
    AUTO("auto"),
    /** Always try (a host you own, where the sysctl is the supervisor's to set). */
    TRUE("true"),
    /** Never touch the sysctl; only report its value. */
    FALSE("false");

    private final String yaml;

    TcpMigrateSetting(String yaml) {
        this.yaml = yaml;
    }

    public String yaml() {
        return yaml;
    }
}
