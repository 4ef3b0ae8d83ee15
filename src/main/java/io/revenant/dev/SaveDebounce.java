package io.revenant.dev;

/**
 * Decides, one poll at a time, when the watched files are worth a rebuild: once they differ from
 * what was last built and two polls in a row saw them the same. An editor's save, a {@code git
 * checkout} or a formatter touches several files over some milliseconds; building in the middle
 * would compile half of it and then build again.
 */
final class SaveDebounce {

    /** The tree the last build started from (or the first poll's). */
    private SourceTree built;
    /** The previous poll's tree. */
    private SourceTree last;

    SaveDebounce(SourceTree initial) {
        built = initial;
        last = initial;
    }

    /** @return whether this poll completes a change worth building now */
    boolean observe(SourceTree poll) {
        boolean settled = poll.equals(last);
        last = poll;
        return settled && !poll.equals(built);
    }

    /** A build starts from {@code tree}: changes after it trigger the next one. */
    void building(SourceTree tree) {
        built = tree;
    }

    /** What the last build started from, to name what changed since. */
    SourceTree built() {
        return built;
    }
}
