package io.revenant.worker;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.IntConsumer;

import io.revenant.protocol.Command;
import io.revenant.protocol.NotifyCodec;

/**
 * A hot spare's takeover, done on the thread that reads the supervisor's {@code BIND}: the spare
 * adopts the public socket there and then, instead of queueing the command for the main thread
 * first. Each thread hand-off on a busy 2-core host costs a scheduler wake-up, and the dead
 * worker's queued connections wait for every one of them.
 */
final class SpareTakeover {

    private final BorrowedSocket socket;
    private final IntConsumer slotTaken;
    private final CompletableFuture<Integer> adopted = new CompletableFuture<>();
    private volatile boolean armed;

    /** @param slotTaken sets the slot the spare's answers name, before the first one is accepted */
    SpareTakeover(BorrowedSocket socket, IntConsumer slotTaken) {
        this.socket = socket;
        this.slotTaken = slotTaken;
    }

    /**
     * From now on a {@code BIND} adopts the socket; call once the socket is prepared and the spare
     * warm. Runs the link's decoding once, so that its first real use does not load classes.
     */
    void arm() {
        if (!(NotifyCodec.decodeCommand("BIND SLOT=1") instanceof NotifyCodec.Decoded.Accepted<Command>)) {
            throw new IllegalStateException("the codec refuses its own BIND line");
        }
        armed = true;
    }

    /** On the link's reader thread: the first {@code BIND} after {@link #arm} takes the slot; any other is ignored. */
    void offer(Command command) {
        if (!armed || adopted.isDone() || !(command instanceof Command.Bind bind)) {
            return;
        }
        slotTaken.accept(bind.slot());
        try {
            socket.adopt();
            adopted.complete(bind.slot());
        } catch (BorrowedSocket.Refused | RuntimeException e) {
            adopted.completeExceptionally(e);
        }
    }

    /**
     * For the main thread, once it has the {@code BIND} too: the slot taken, or the refusal that
     * ends the worker. Empty when the reader did not take it (not armed: a protocol error).
     */
    Optional<Integer> result() throws BorrowedSocket.Refused, InterruptedException {
        if (!adopted.isDone()) {
            return Optional.empty();
        }
        try {
            return Optional.of(adopted.get());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BorrowedSocket.Refused refused) {
                throw refused;
            }
            throw new IllegalStateException("the takeover failed: " + e.getCause(), e.getCause());
        }
    }
}
