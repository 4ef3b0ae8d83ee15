package io.revenant.deploy;

/**
 * A rollout step that did not work, with a message a user can act on. {@code code} is the exit
 * code {@link DeployMain} ends with.
 */
final class DeployException extends Exception {

    private final int code;

    DeployException(int code, String message) {
        super(message);
        this.code = code;
    }

    int code() {
        return code;
    }
}
