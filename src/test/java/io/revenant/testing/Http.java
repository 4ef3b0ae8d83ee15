package io.revenant.testing;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import io.revenant.protocol.JsonText;
import io.revenant.protocol.OneShotHttp;
import io.revenant.stack.WorkerReply;

/**
 * The tests' HTTP calls, on main code's one client ({@link OneShotHttp}), deliberately plain: one fresh TCP connection per request
 * ({@code Connection: close}), so every request is a new chance for the kernel to pick a worker,
 * no pooled connection to a dead worker and no retry hiding a failure. Its exceptions say how a
 * request failed: {@link java.net.ConnectException} (refused), {@link NoResponseException} and
 * {@link BrokenResponseException} (the connection broke), {@link SocketTimeoutException} (no
 * answer in time).
 */
public final class Http {

    /** Longer than nginx's whole retry budget (read timeout 11 s + connects), so nginx decides, not us. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);
    public static final String ACCEPT_JSON = "Accept: application/json\r\n";

    /** Status and body of one answer. */
    public record Response(int status, String body) {

        /** The body as a JSON object, read with main code's {@link JsonText}; throws when it is not one. */
        public JsonObject json() {
            return JsonText.parse(body).orElseThrow(() -> new IllegalStateException("not a JSON object: " + body));
        }

        /** A top-level field of a JSON object body as text, e.g. {@code field("pid")} is {@code "4211"}. */
        public String field(String name) {
            JsonValue value = json().get(name);
            if (value == null) {
                throw new IllegalStateException("no field " + name + " in " + body);
            }
            return value instanceof JsonString text ? text.getString() : value.toString();
        }

        /** The {@code slots} of a supervisor's admin {@code /status}; empty when the body has none. */
        public List<JsonObject> slots() {
            return JsonText.parse(body).map(json -> json.get("slots") instanceof JsonArray slots
                    ? slots.getValuesAs(JsonObject.class) : List.<JsonObject>of()).orElse(List.of());
        }

        /** Pids of the READY workers in a supervisor's admin {@code /status}, in slot order. */
        public List<Long> readyPids() {
            return slots().stream().filter(slot -> "ready".equals(slot.getString("state", "")))
                    .map(slot -> slot.getJsonNumber("pid").longValue()).toList();
        }

        /** Who answered, when this is a 2xx with a worker's JSON identity. */
        public Optional<WorkerReply> worker() {
            return status / 100 == 2 ? WorkerReply.parse(body) : Optional.empty();
        }
    }

    /** The connection was closed or reset before a single response byte arrived. */
    public static final class NoResponseException extends IOException {
        NoResponseException(IOException cause) {
            super(cause.toString(), cause);
        }

        /** Reset (RST) rather than closed (FIN). */
        public boolean reset() {
            return String.valueOf(getCause().getMessage()).toLowerCase(java.util.Locale.ROOT).contains("reset");
        }
    }

    /** The connection was closed or reset in the middle of the response. */
    public static final class BrokenResponseException extends IOException {
        BrokenResponseException(String message) {
            super(message);
        }
    }

    private Http() {
    }

    /** {@code GET path} on 127.0.0.1:{@code port}, asking for JSON. */
    public static Response get(int port, String path) throws IOException {
        return request(port, "GET", path, ACCEPT_JSON, TIMEOUT);
    }

    public static Response request(int port, String method, String path, String headers) throws IOException {
        return request(port, method, path, headers, TIMEOUT);
    }

    public static Response request(int port, String method, String path, String headers, Duration timeout)
            throws IOException {
        return request("127.0.0.1", port, method, path, headers, timeout);
    }

    /** The response, or empty on any I/O failure (for polling). */
    public static Optional<Response> tryGet(int port, String path) {
        try {
            return Optional.of(get(port, path));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code GET} of a URI (e.g. through nginx), asking for JSON. */
    public static Response get(URI uri) throws IOException {
        return request(uri, "GET");
    }

    public static Response post(URI uri) throws IOException {
        return request(uri, "POST");
    }

    private static Response request(URI uri, String method) throws IOException {
        String path = uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return request(uri.getHost(), uri.getPort(), method, uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery(),
                       ACCEPT_JSON, TIMEOUT);
    }

    /** Who answered a {@code GET uri}; empty when the call failed in any way (for polling). */
    public static Optional<WorkerReply> identify(URI uri) {
        try {
            return get(uri).worker();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * One request on a new connection through main code's {@link OneShotHttp}; {@code timeout}
     * bounds the connect and each read; {@code headers} are header lines, each ending in CRLF.
     */
    public static Response request(String host, int port, String method, String path, String headers, Duration timeout)
            throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        URI uri = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + path);
        try {
            OneShotHttp.Response response = OneShotHttp.exchange(method, uri, fields, timeout);
            return new Response(response.status(), response.body());
        } catch (OneShotHttp.NoAnswer e) {
            throw new NoResponseException(e.getCause() instanceof IOException cause ? cause : e);
        } catch (OneShotHttp.BrokenAnswer e) {
            throw new BrokenResponseException(e.getMessage());
        }
    }
}
