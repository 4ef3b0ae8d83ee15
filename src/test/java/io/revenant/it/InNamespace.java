package io.revenant.it;

import java.util.concurrent.atomic.AtomicReference;

import io.revenant.net.NetworkNamespace;

/** Runs a block on a fresh thread inside another process's network namespace. */
final class InNamespace {

    interface Block {
        void run() throws Exception;
    }

    private InNamespace() {
    }

    static void run(long pid, Block block) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("in-netns-" + pid).start(() -> {
            try {
                NetworkNamespace.joinOf(pid);
                block.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        thread.join();
        Throwable thrown = failure.get();
        if (thrown instanceof Exception e) {
            throw e;
        }
        if (thrown instanceof Error e) {
            throw e;
        }
    }
}
