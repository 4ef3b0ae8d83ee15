package io.revenant.net;

import com.sun.jna.LastErrorException;

/**
 * Resets a signal that the parent left ignored. A signal ignored at exec stays ignored (that is
 * how {@code nohup} works), and HotSpot then skips installing a Java handler for it without a
 * word: {@code sun.misc.Signal.handle} returns {@code SIG_IGN} and the handler never runs.
 */
public final class SignalDispositions {

    private SignalDispositions() {
    }

    /**
     * Sets {@code signal} to SIG_DFL, so that the next {@code sun.misc.Signal.handle} installs its
     * handler. Until then the signal has its default action: call it right before handling it.
     */
    public static void restoreDefault(Signal signal) {
        try {
            LibC.INSTANCE.signal(signal.number(), null);
        } catch (LastErrorException e) {
            throw new NativeCallException("signal(SIG" + signal.name() + ", SIG_DFL)", e);
        }
    }
}
