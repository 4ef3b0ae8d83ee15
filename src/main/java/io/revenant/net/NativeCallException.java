package io.revenant.net;

import com.sun.jna.LastErrorException;

/** A system call failed; the message names the call and the errno text, like tini's. */
public final class NativeCallException extends RuntimeException {

    private final int errno;

    NativeCallException(String call, Throwable cause) {
        super(call + ": " + cause.getMessage(), cause);
        this.errno = cause instanceof LastErrorException last ? last.getErrorCode() : 0;
    }

    /** The errno of the failed call; 0 when the failure was not a system call's. */
    public int errno() {
        return errno;
    }
}
