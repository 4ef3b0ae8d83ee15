package io.revenant;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.revenant.config.ChaosConfig;
import io.revenant.protocol.WorkerIdentity;
import io.revenant.protocol.WorkerSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Docs that cannot drift: the endpoints table of docs/operations.md against the routes the code
 * registers, asked from the same routing methods the listeners are built with (recorded, not
 * served). A route without a row, or a row for no route, fails here; so does a row marked "on"
 * for a route only a config key turns on, or the reverse.
 *
 * <p>A new route: register it in the listener's routing method (the {@link #LISTENERS} entry
 * names it) and add one row to the table. A new listener: one entry in {@link #LISTENERS}.
 * A {@code any(path)} beside a method's route on the same path is that path's 405 answer, not a
 * route of its own.
 */
class EndpointTableTest {

    private static final Path TABLE = Path.of("docs/operations.md");
    private static final String HEADER = "| listener | method | path | default | answer |";

    private static final WorkerIdentity IDENTITY = new WorkerIdentity("inst", 1, 1, 1, "dev");

    /**
     * Where each listener's routes come from, by the listener's name in the table. The argument
     * is true for "everything a config key can turn on is on" and false for the defaults.
     */
    private static final Map<String, Listener> LISTENERS = Map.of(
            "public", (routing, allOn) -> call("io.revenant.worker.WorkerServer", "publicRouting", routing,
                                                 workerSettings(allOn), (Supplier<WorkerIdentity>) () -> IDENTITY,
                                                 null, (Runnable) () -> { }),
            "worker admin", (routing, allOn) -> call("io.revenant.worker.WorkerServer", "adminRouting", routing, null),
            "supervisor admin", (routing, allOn) -> call("io.revenant.supervisor.AdminListener", "routing", routing,
                                                         new AtomicReference<>(), (Consumer<Object>) event -> { },
                                                         "127.0.0.1", new ChaosConfig(allOn, Optional.empty()), null, null));

    @FunctionalInterface
    private interface Listener {
        void routing(HttpRouting.Builder routing, boolean allOn) throws ReflectiveOperationException;
    }

    private record Row(String listener, String route, boolean on) {
    }

    static Collection<String> listeners() {
        return new TreeSet<>(LISTENERS.keySet());
    }

    @Test
    void everyListenerOfTheTableIsKnown() throws IOException {
        Set<String> named = new TreeSet<>();
        table().forEach(row -> named.add(row.listener()));
        assertEquals(listeners(), named, "listeners in " + TABLE + " vs EndpointTableTest.LISTENERS");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("listeners")
    void theRowsOfAListenerAreItsRoutes(String listener) throws Exception {
        Set<String> all = new TreeSet<>();
        Set<String> on = new TreeSet<>();
        for (Row row : table()) {
            if (row.listener().equals(listener)) {
                assertTrue(all.add(row.route()), TABLE + " lists " + listener + " " + row.route() + " twice");
                if (row.on()) {
                    on.add(row.route());
                }
            }
        }
        assertEquals(routes(listener, true), all,
                     listener + ": expected the routes the code registers with every option on, got the rows of " + TABLE);
        assertEquals(routes(listener, false), on,
                     listener + ": expected the routes the code registers by default, got the rows marked on in " + TABLE);
    }

    private static List<Row> table() throws IOException {
        List<String> lines = Files.readAllLines(TABLE);
        int header = lines.indexOf(HEADER);
        assertTrue(header >= 0, TABLE + " has no endpoints table headed " + HEADER);
        String listener = "";
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(header + 2, lines.size())) {
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.split("\\|");
            assertTrue(cells.length >= 6, TABLE + " endpoints table: a row needs listener, method, path, default, answer: "
                                          + line);
            // the listener's name, without what follows it in parentheses on its first row
            listener = unquote(cells[1].replaceFirst("\\(.*", ""));
            String defaultCell = unquote(cells[4]);
            assertTrue(defaultCell.startsWith("on") || defaultCell.startsWith("off"),
                       TABLE + " endpoints table: default must be on or off (naming the key): " + line);
            rows.add(new Row(listener, unquote(cells[2]) + " " + unquote(cells[3]), defaultCell.startsWith("on")));
        }
        return rows;
    }

    private static String unquote(String cell) {
        return cell.trim().replace("`", "");
    }

    /** The routes of a listener as {@code METHOD /path}. */
    private static Set<String> routes(String listener, boolean allOn) throws ReflectiveOperationException {
        Map<String, Set<String>> methodsByPath = new TreeMap<>();
        LISTENERS.get(listener).routing(recorder("", methodsByPath), allOn);
        Set<String> routes = new TreeSet<>();
        methodsByPath.forEach((path, methods) -> methods.stream()
                .filter(method -> !method.equals("ANY") || methods.size() == 1)
                .forEach(method -> routes.add(method + " " + path)));
        return routes;
    }

    private static WorkerSettings workerSettings(boolean allOn) {
        return WorkerSettings.fromEnvironment(Map.of("REVENANT_INSTANCE", "inst", "REVENANT_WORKER", "1",
                "REVENANT_SLOT", "1", "REVENANT_SUPERVISOR_PID", "1", "REVENANT_HOST", "127.0.0.1",
                "REVENANT_PORT", "3000", "REVENANT_CHAOS_KILL", Boolean.toString(allOn)));
    }

    /** Calls a package-private static routing method by name (the listeners' packages keep them private). */
    private static void call(String className, String name, Object... args) throws ReflectiveOperationException {
        for (Method method : Class.forName(className).getDeclaredMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == args.length) {
                method.setAccessible(true);
                method.invoke(null, args);
                return;
            }
        }
        throw new NoSuchMethodException(className + "." + name + " with " + args.length
                                        + " parameters: update EndpointTableTest.LISTENERS");
    }

    /**
     * A routing builder that records {@code get("/x")}, {@code post(...)}, {@code any(...)} and
     * {@code route(Method, "/x", ...)} under {@code prefix}, and walks registered services.
     */
    private static HttpRouting.Builder recorder(String prefix, Map<String, Set<String>> methodsByPath) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object[] a = args == null ? new Object[0] : args;
            String name = method.getName();
            switch (name) {
                case "get", "post", "put", "delete", "head", "options", "trace", "patch", "any" ->
                        record(methodsByPath, name.toUpperCase(), join(prefix, a.length > 0 && a[0] instanceof String p ? p : ""));
                case "route" -> {
                    if (a.length == 3 && a[0] instanceof io.helidon.http.Method m && a[1] instanceof String p) {
                        record(methodsByPath, m.text(), join(prefix, p));
                    } else {
                        throw new UnsupportedOperationException("EndpointTableTest cannot read this route(...): teach it");
                    }
                }
                case "register" -> {
                    String path = a.length > 0 && a[0] instanceof String p ? join(prefix, p) : join(prefix, "");
                    for (Object service : a) {
                        for (Object one : service instanceof Object[] many ? many : new Object[] {service}) {
                            if (one instanceof Supplier<?> supplier) {
                                one = supplier.get();
                            }
                            if (one instanceof HttpService httpService) {
                                httpService.routing((HttpRules) recorder(path, methodsByPath));
                            }
                        }
                    }
                }
                case "addFilter", "addFeature", "error", "security", "maxReRouteCount", "copy" -> {
                }
                case "toString" -> {
                    return "routes under " + prefix;
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "equals" -> {
                    return proxy == a[0];
                }
                default -> throw new UnsupportedOperationException("EndpointTableTest does not record routing." + name);
            }
            return proxy;
        };
        return (HttpRouting.Builder) Proxy.newProxyInstance(EndpointTableTest.class.getClassLoader(),
                                                            new Class<?>[] {HttpRouting.Builder.class}, handler);
    }

    private static void record(Map<String, Set<String>> methodsByPath, String method, String path) {
        methodsByPath.computeIfAbsent(path, p -> new TreeSet<>()).add(method);
    }

    /** {@code register("/chaos", ...)} + {@code post("/kill")} is {@code /chaos/kill}. */
    private static String join(String prefix, String path) {
        String joined = (prefix.equals("/") ? "" : prefix) + (path.equals("/") && !prefix.isEmpty() ? "" : path);
        return joined.isEmpty() ? "/" : joined;
    }
}
