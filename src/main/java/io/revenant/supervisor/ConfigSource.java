package io.revenant.supervisor;

import io.revenant.config.ConfigException;
import io.revenant.config.RevenantConfig;

/** Where a reload reads the configuration from: the file, or a test's value. */
@FunctionalInterface
interface ConfigSource {

    /** @throws ConfigException listing every problem; the running configuration then stays */
    RevenantConfig load() throws ConfigException;
}
