package io.revenant.supervisor;

/**
 * Decides, one poll of the config file at a time, when an edit is worth a reload: only once the
 * same new content has been read on two polls in a row, and never when the file is blank. An
 * editor or a script that writes the file in place (truncate, then write) is caught half way by
 * some poll; the next poll then differs, so nothing is applied until the file holds still. A
 * blank file (0 bytes, whitespace or comments only) is what such a write looks like right after
 * the truncation, and applying it would turn every setting back to its default.
 */
final class EditDebounce {

    /** What one poll found. */
    sealed interface Snapshot {

        /** Missing or unreadable (being replaced): look again next time. */
        record Unreadable() implements Snapshot {
        }

        /** No setting at all: empty, whitespace or comments only. */
        record Blank() implements Snapshot {
        }

        /** Anything else, oversized included (the loader rejects that with reload-rejected). */
        record Content(String digest) implements Snapshot {
        }
    }

    /** Content the supervisor last loaded or was asked to reload; null until one was read. */
    private String applied;
    /** A new content seen once, waiting for a second identical read; null when none. */
    private String candidate;

    /** @param initial what the first poll found, right after the supervisor loaded the file */
    EditDebounce(Snapshot initial) {
        applied = initial instanceof Snapshot.Content content ? content.digest() : null;
    }

    /** @return whether this poll completes an edit that the supervisor should now reload */
    boolean observe(Snapshot poll) {
        if (!(poll instanceof Snapshot.Content content)) {
            // unreadable or blank: a write in progress; start counting again after it
            candidate = null;
            return false;
        }
        String digest = content.digest();
        if (digest.equals(applied)) {
            // back to what is in force (e.g. an edit undone): nothing to do
            candidate = null;
            return false;
        }
        if (!digest.equals(candidate)) {
            candidate = digest;
            return false;
        }
        applied = digest;
        candidate = null;
        return true;
    }
}
