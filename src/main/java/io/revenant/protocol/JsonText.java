package io.revenant.protocol;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonWriter;
import jakarta.json.JsonWriterFactory;

/**
 * The one way JSON is written and read in main code: jakarta.json (JSON-P, Parsson underneath),
 * the library Helidon's JSON-P media support sends, so a route answers with a {@link JsonObject}
 * and every reader parses instead of matching text. The factories are made once: each
 * {@code Json.createXxx()} call looks the provider up again through the ServiceLoader.
 */
public final class JsonText {

    private static final JsonBuilderFactory BUILDERS = Json.createBuilderFactory(Map.of());
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());
    private static final JsonWriterFactory WRITERS = Json.createWriterFactory(Map.of());

    private JsonText() {
    }

    /** An empty object builder. */
    public static JsonObjectBuilder object() {
        return BUILDERS.createObjectBuilder();
    }

    /** The factory behind {@link #object()}, for arrays and nested objects. */
    public static JsonBuilderFactory builders() {
        return BUILDERS;
    }

    /** The object in {@code text}; empty when it is not a JSON object (no answer yet, an error page). */
    public static Optional<JsonObject> parse(String text) {
        try (JsonReader reader = READERS.createReader(new StringReader(text))) {
            return Optional.of(reader.readObject());
        } catch (JsonException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** Compact JSON text of {@code object}. */
    public static String write(JsonObject object) {
        StringWriter text = new StringWriter(256);
        try (JsonWriter writer = WRITERS.createWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    /**
     * {@link #write} as UTF-8 bytes, for a route to send as they are: Helidon's media negotiation
     * finds no writer for a JSON object when the client accepts only text (415 and a warning).
     */
    public static byte[] utf8(JsonObject object) {
        return write(object).getBytes(StandardCharsets.UTF_8);
    }
}
