package io.revenant.protocol;

/** What the supervisor tells one worker on that worker's notify connection; {@link NotifyCodec} writes and reads it. */
public sealed interface Command {

    /** A hot spare takes {@code slot}: adopt the lent socket and report {@link Notice.Ready}. */
    record Bind(int slot) implements Command {

        public Bind {
            if (slot < 0 || slot > NotifyCodec.MAX_SLOT) {
                throw new IllegalArgumentException("slot must be 0 to " + NotifyCodec.MAX_SLOT + "; got " + slot);
            }
        }
    }
}
