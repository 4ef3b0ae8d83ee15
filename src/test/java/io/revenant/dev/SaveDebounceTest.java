package io.revenant.dev;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

class SaveDebounceTest {

    private static final Path HELLO = Path.of("src/main/java/io/revenant/app/HelloService.java");
    private static final Path ROUTES = Path.of("src/main/java/io/revenant/app/AppRoutes.java");

    private static SourceTree tree(long helloModified, long routesModified) {
        Map<Path, SourceTree.Stamp> files = new TreeMap<>();
        files.put(HELLO, new SourceTree.Stamp(100, helloModified));
        if (routesModified > 0) {
            files.put(ROUTES, new SourceTree.Stamp(200, routesModified));
        }
        return new SourceTree(files);
    }

    @Test
    void buildsOnceAChangeHoldsStillForOnePoll() {
        SaveDebounce debounce = new SaveDebounce(tree(1, 1));
        assertThat(debounce.observe(tree(1, 1)), is(false));  // nothing changed
        assertThat(debounce.observe(tree(2, 1)), is(false));  // a save seen once
        assertThat(debounce.observe(tree(2, 2)), is(false));  // a second file of the same save
        assertThat(debounce.observe(tree(2, 2)), is(true));   // held still: build
        debounce.building(tree(2, 2));
        assertThat(debounce.observe(tree(2, 2)), is(false));  // built: nothing more
    }

    @Test
    void anEditUndoneBeforeItSettledBuildsNothing() {
        SaveDebounce debounce = new SaveDebounce(tree(1, 1));
        assertThat(debounce.observe(tree(2, 1)), is(false));
        assertThat(debounce.observe(tree(1, 1)), is(false));
        assertThat(debounce.observe(tree(1, 1)), is(false));
    }

    @Test
    void aDeletedFileIsAChange() {
        SaveDebounce debounce = new SaveDebounce(tree(1, 1));
        assertThat(debounce.observe(tree(1, 0)), is(false));
        assertThat(debounce.observe(tree(1, 0)), is(true));
        assertThat(tree(1, 0).changedSince(debounce.built()), contains(ROUTES));
    }
}
