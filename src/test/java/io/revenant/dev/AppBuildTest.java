package io.revenant.dev;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

/**
 * The dev loop's build on a two-class project: {@code Caller} inlines {@code Greeting.TEXT}, a
 * constant, so changing it must recompile the caller too, while a change inside a method body
 * compiles one file. Each jar is loaded to see what it really runs.
 */
class AppBuildTest {

    @TempDir
    Path dir;

    private Path source(String name, String body) throws IOException {
        Path file = dir.resolve("src/demo/" + name + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "package demo;\n" + body);
        return file;
    }

    private AppBuild.Result.Built build(AppBuild build) throws Exception {
        AppBuild.Result result = build.build(SourceTree.scan(List.of(dir.resolve("src"), dir.resolve("res"))));
        assertThat(result.toString(), result, instanceOf(AppBuild.Result.Built.class));
        return (AppBuild.Result.Built) result;
    }

    private static String run(Path jar) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            return (String) loader.loadClass("demo.Caller").getMethod("say").invoke(null);
        }
    }

    @Test
    void compilesTheChangedFileAloneUnlessItsApiChanged() throws Exception {
        source("Greeting", "public class Greeting { public static final String TEXT = \"hello\";"
                           + " static String punctuation() { return \"!\"; } }");
        source("Caller", "public class Caller { public static String say() { return Greeting.TEXT + Greeting.punctuation(); } }");
        AppBuild build = new AppBuild(List.of(dir.resolve("src")), List.of(dir.resolve("res")), List.of(),
                                      dir.resolve("out"));

        AppBuild.Result.Built first = build(build);
        assertThat(first.what(), is("all files"));
        assertThat(run(build.link()), is("hello!"));

        // a method body: one file, and the caller, kept from the last jar, sees it
        Files.writeString(dir.resolve("src/demo/Greeting.java"), Files.readString(dir.resolve("src/demo/Greeting.java"))
                .replace("\"!\"", "\"?\""));
        AppBuild.Result.Built second = build(build);
        assertThat(second.what(), is("1 file"));
        assertThat(run(build.link()), is("hello?"));

        // a constant the caller inlined: compiling Greeting alone would leave "hello" in Caller
        Files.writeString(dir.resolve("src/demo/Greeting.java"), Files.readString(dir.resolve("src/demo/Greeting.java"))
                .replace("\"hello\"", "\"bonjour\""));
        AppBuild.Result.Built third = build(build);
        assertThat(third.what(), containsString("all files: demo.Greeting changed its API"));
        assertThat(run(build.link()), is("bonjour?"));

        // an error: the compiler's message, and the link still names the last good jar
        Files.writeString(dir.resolve("src/demo/Caller.java"), Files.readString(dir.resolve("src/demo/Caller.java"))
                .replace("Greeting.TEXT", "Greeting.NOPE"));
        AppBuild.Result failed = build.build(SourceTree.scan(List.of(dir.resolve("src"))));
        assertThat(failed, instanceOf(AppBuild.Result.Failed.class));
        assertThat(((AppBuild.Result.Failed) failed).output(), containsString("Caller.java:2: error: cannot find symbol"));
        assertThat(run(build.link()), is("bonjour?"));
        assertThat(Files.exists(third.jar()), is(true));
    }
}
