package io.revenant.config;

import java.util.List;

/**
 * Thrown by {@link ConfigLoader} when a configuration is unusable; carries every problem found,
 * not just the first, so a user fixes them all in one edit.
 */
public final class ConfigException extends Exception {

    private final List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(errors.size() + " configuration error(s)");
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
