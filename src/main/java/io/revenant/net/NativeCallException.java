package io.revenant.net;

/** A system call failed; the message names the call and the errno text, like tini's. */
public final class NativeCallException extends RuntimeException {

    NativeCallException(String call, Throwable cause) {
        super(call + ": " + cause.getMessage(), cause);
    }
}
