package io.revenant.dev;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticListener;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Builds the application for the dev loop: compiles every source with the JDK's compiler in this
 * JVM and packs the classes and resources into a new jar per build ({@code app-N.jar}), then
 * points the link {@code app.jar} at it.
 *
 * <p>Why this and not Maven: {@code mvn -o -q compile} spends about 6 s on this project, mostly
 * starting Maven and compiling every file. Here javac stays warm in this JVM and compiles only the
 * changed files, against the previous build; when one of them changes what it offers the others
 * ({@link ApiFingerprint}), their callers may be stale, and everything is compiled again.
 *
 * <p>Why a new jar each time: a running JVM (the supervisor, a draining worker) keeps its jar
 * open and reads classes from it for its whole life; writing over that file can crash it. A new
 * file and an atomic rename of the link leave every open jar as it was. Workers are started with
 * {@code app.jar} on their classpath, so each one opens the build current when it starts.
 */
final class AppBuild {

    /** The link the supervisor's (and so every worker's) classpath names. */
    static final String LINK = "app.jar";

    private final List<Path> sources;
    private final List<Path> resources;
    private final List<Path> libs;
    private final Path out;
    private final JavaCompiler compiler;
    private final StandardJavaFileManager files;
    /** Builds so far; the jar of the last one is what the link names. */
    private int number;
    /** The tree of the last build that compiled, and its jar; null before the first. */
    private SourceTree lastGood;
    private Path lastJar;
    /** The build the supervisor was started from; 0 for none. */
    private int pinned;

    /** The outcome of one build. */
    sealed interface Result {

        /** @param what which files were compiled, and why all of them when it was not the first build */
        record Built(Path jar, int number, String what, long millis) implements Result {
        }

        /** @param output the compiler's messages, as javac prints them */
        record Failed(String output, long millis) implements Result {
        }
    }

    /**
     * @param sources   source roots ({@code src/main/java})
     * @param resources resource roots ({@code src/main/resources}), copied into the jar as they are
     * @param libs      the jars the sources compile against and the workers run with
     * @param out       where the jars and the link go ({@code target/dev})
     */
    AppBuild(List<Path> sources, List<Path> resources, List<Path> libs, Path out) throws IOException {
        this.sources = sources;
        this.resources = resources;
        this.libs = libs;
        this.out = out;
        this.compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IOException("no Java compiler in " + System.getProperty("java.home")
                                  + " (a JRE?); run make dev with a JDK");
        }
        // kept across builds: it caches the libraries' jars, a large part of a cold compile
        this.files = compiler.getStandardFileManager(null, null, null);
        Files.createDirectories(out);
        // the jars of an earlier run: nothing uses them any more (builds count from 1 again)
        number = Integer.MAX_VALUE;
        deleteOldJars();
        number = 0;
    }

    Path link() {
        return out.resolve(LINK);
    }

    /**
     * Builds what {@code tree} holds: only its changed Java files when that is safe, else all of
     * them (the first build, a file added or removed, or a change to what a class offers others).
     */
    Result build(SourceTree tree) throws IOException {
        long started = System.nanoTime();
        number++;
        Path classes = out.resolve("classes-" + number);
        try {
            Set<Path> changed = lastGood == null ? Set.of() : javaChanges(tree.changedSince(lastGood));
            boolean full = lastGood == null || changed.stream().anyMatch(path -> !tree.files().containsKey(path)
                                                                                 || !lastGood.files().containsKey(path));
            String what = full ? "all files" : changed.size() == 1 ? "1 file" : changed.size() + " files";
            Map<String, byte[]> kept = Map.of();
            if (!full && changed.isEmpty()) {
                // resources only: the classes stay, the jar takes the resources as they are now
                what = "resources";
                kept = previousClassesBut(changed);
                deleteTree(classes);
                Files.createDirectories(classes);
            } else if (!full) {
                Optional<String> errors = compile(changed, classes, List.of(lastJar));
                if (errors.isPresent()) {
                    return new Result.Failed(errors.get(), millisSince(started));
                }
                kept = previousClassesBut(changed);
                Optional<String> apiChange = apiChange(classes, changed);
                if (apiChange.isPresent()) {
                    full = true;
                    what = "all files: " + apiChange.get();
                }
            }
            if (full) {
                kept = Map.of();
                Optional<String> errors = compile(javaFiles(), classes, List.of());
                if (errors.isPresent()) {
                    return new Result.Failed(errors.get(), millisSince(started));
                }
            }
            Path jar = out.resolve("app-" + number + ".jar");
            writeJar(kept, classes, jar);
            Path next = out.resolve(LINK + ".next");
            Files.deleteIfExists(next);
            Files.createSymbolicLink(next, jar.getFileName());
            Files.move(next, link(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            lastGood = tree;
            lastJar = jar;
            deleteOldJars();
            return new Result.Built(jar, number, what, millisSince(started));
        } finally {
            deleteTree(classes);
        }
    }

    /** The compiler's errors, as javac prints them, or empty when it compiled. */
    private Optional<String> compile(Collection<Path> sources, Path classes, List<Path> before) throws IOException {
        deleteTree(classes);
        Files.createDirectories(classes);
        List<File> classpath = new ArrayList<>(before.stream().map(Path::toFile).toList());
        libs.forEach(lib -> classpath.add(lib.toFile()));
        files.setLocation(StandardLocation.CLASS_PATH, classpath);
        files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(classes.toFile()));
        // only the errors: a warning (javac gives some that no option turns off) is not the dev loop's business
        List<String> errors = new ArrayList<>();
        DiagnosticListener<JavaFileObject> listener = diagnostic -> {
            if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
                errors.add(CompilerMessage.format(diagnostic));
            }
        };
        // -proc:none as Maven (no annotation processor is configured); -implicit:none: only the files given
        List<String> options = List.of("-g", "-proc:none", "-encoding", "UTF-8", "-implicit:none");
        boolean ok = compiler.getTask(Writer.nullWriter(), files, listener, options, null,
                                      files.getJavaFileObjectsFromPaths(sources)).call();
        if (ok) {
            return Optional.empty();
        }
        errors.add(errors.size() + (errors.size() == 1 ? " error" : " errors"));
        return Optional.of(String.join("\n", errors));
    }

    private Set<Path> javaChanges(Set<Path> changed) {
        return changed.stream().filter(path -> path.toString().endsWith(".java")
                                               && sources.stream().anyMatch(path::startsWith))
                .collect(Collectors.toSet());
    }

    /** {@code io/revenant/app/HelloService} for a file under a source root. */
    private String className(Path source) {
        for (Path root : sources) {
            if (source.startsWith(root)) {
                String relative = root.relativize(source).toString().replace('\\', '/');
                return relative.substring(0, relative.length() - ".java".length());
            }
        }
        throw new IllegalArgumentException(source + " is under no source root");
    }

    /** Whether a class file entry was compiled from the source of {@code className} (it or a nested class of it). */
    private static boolean compiledFrom(String entry, String className) {
        return entry.equals(className + ".class") || entry.startsWith(className + "$");
    }

    /** The classes of the last good build, but those of the files compiled again. */
    private Map<String, byte[]> previousClassesBut(Set<Path> recompiled) throws IOException {
        List<String> names = recompiled.stream().map(this::className).toList();
        Map<String, byte[]> kept = new TreeMap<>();
        try (JarFile jar = new JarFile(lastJar.toFile())) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (name.endsWith(".class") && names.stream().noneMatch(n -> compiledFrom(name, n))) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        kept.put(name, in.readAllBytes());
                    }
                }
            }
        }
        return kept;
    }

    /**
     * Why the recompiled files need the others compiled again, or empty: a class whose fingerprint
     * ({@link ApiFingerprint}) changed, or a named class that appeared or went. Anonymous classes
     * ({@code Outer$1}) are only ever used by their own file.
     */
    private Optional<String> apiChange(Path classes, Set<Path> recompiled) throws IOException {
        Map<String, byte[]> before = new TreeMap<>();
        List<String> names = recompiled.stream().map(this::className).toList();
        try (JarFile jar = new JarFile(lastJar.toFile())) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                if (names.stream().anyMatch(n -> compiledFrom(entry.getName(), n))) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        before.put(entry.getName(), in.readAllBytes());
                    }
                }
            }
        }
        Map<String, byte[]> after = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(classes)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                after.put(classes.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        }
        for (String name : after.keySet()) {
            byte[] old = before.get(name);
            if (old == null ? !anonymous(name) : !ApiFingerprint.of(old).equals(ApiFingerprint.of(after.get(name)))) {
                return Optional.of(name.replace(".class", "").replace('/', '.') + (old == null ? " is new" : " changed its API"));
            }
        }
        return before.keySet().stream().filter(name -> !after.containsKey(name) && !anonymous(name)).findFirst()
                .map(name -> name.replace(".class", "").replace('/', '.') + " is gone");
    }

    private static boolean anonymous(String classFile) {
        return classFile.matches(".*\\$[0-9]+\\.class");
    }

    /** The supervisor runs from {@code build}'s jar: it is kept while later builds come and go. */
    void pin(int build) {
        pinned = build;
    }

    /** Old jars go, but the current one, the one before (its workers may still drain) and the pinned one stay. */
    private void deleteOldJars() throws IOException {
        try (Stream<Path> jars = Files.list(out)) {
            for (Path jar : jars.toList()) {
                String name = jar.getFileName().toString();
                if (name.matches("app-\\d+\\.jar")) {
                    int build = Integer.parseInt(name.substring(4, name.length() - 4));
                    if (build < number - 1 && build != pinned) {
                        Files.deleteIfExists(jar);
                    }
                }
            }
        }
    }

    private List<Path> javaFiles() throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path root : sources) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(path -> path.toString().endsWith(".java") && Files.isRegularFile(path)).forEach(found::add);
                }
            }
        }
        return found;
    }

    private void writeJar(Map<String, byte[]> kept, Path classes, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "dev-" + number);
        Path partial = out.resolve(jar.getFileName() + ".partial");
        try (OutputStream file = Files.newOutputStream(partial); JarOutputStream zip = new JarOutputStream(file, manifest)) {
            // level 1: the jar is read a few times and thrown away, so compressing it hard costs more than it saves
            zip.setLevel(1);
            Set<String> compiled;
            try (Stream<Path> walk = Files.walk(classes)) {
                compiled = walk.filter(Files::isRegularFile).map(f -> classes.relativize(f).toString().replace('\\', '/'))
                        .collect(Collectors.toSet());
            }
            for (Map.Entry<String, byte[]> entry : kept.entrySet()) {
                if (compiled.contains(entry.getKey())) {
                    continue; // a second top-level class of a recompiled file: its new version follows
                }
                zip.putNextEntry(new JarEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
            List<Path> roots = new ArrayList<>(resources);
            roots.addFirst(classes);
            for (Path root : roots) {
                if (!Files.isDirectory(root)) {
                    continue;
                }
                try (Stream<Path> walk = Files.walk(root)) {
                    for (Path path : walk.filter(Files::isRegularFile).sorted().toList()) {
                        zip.putNextEntry(new JarEntry(root.relativize(path).toString().replace('\\', '/')));
                        Files.copy(path, zip);
                        zip.closeEntry();
                    }
                }
            }
        }
        Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
