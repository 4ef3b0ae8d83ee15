package io.revenant.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Offline validation of Kubernetes manifests against the vendored JSON schemas of v1.34.0
 * ({@code src/test/resources/kubernetes-json-schema/}), made strict on load: an unknown key is an
 * error, as {@code kubectl apply}'s field validation makes it. One schema per apiVersion/kind; a
 * document of any other kind is itself a problem.
 */
final class K8sSchemas {

    static final String VERSION = "v1.34.0";

    private static final Map<String, String> FILES = Map.of(
            "v1/ConfigMap", "configmap-v1.json",
            "v1/Service", "service-v1.json",
            "apps/v1/Deployment", "deployment-apps-v1.json",
            "policy/v1/PodDisruptionBudget", "poddisruptionbudget-policy-v1.json");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private K8sSchemas() {
    }

    /**
     * Every problem of every document in a (multi-document) YAML text, each as
     * {@code Kind/name: $.path: message}; empty when all are valid.
     */
    static List<String> problems(String yaml) {
        List<String> problems = new ArrayList<>();
        List<JsonNode> documents = documents(yaml);
        if (documents.isEmpty()) {
            problems.add("no Kubernetes object in the text");
        }
        for (JsonNode document : documents) {
            String apiVersion = document.path("apiVersion").asText("");
            String kind = document.path("kind").asText("");
            String name = kind + "/" + document.path("metadata").path("name").asText("?");
            String file = FILES.get(apiVersion + "/" + kind);
            if (file == null) {
                problems.add(name + ": no vendored schema for apiVersion " + apiVersion + " kind " + kind
                        + " (known: " + FILES.keySet() + ")");
                continue;
            }
            for (ValidationMessage message : schema(file).validate(document)) {
                problems.add(name + ": " + message.getMessage());
            }
        }
        return problems;
    }

    /** The non-empty documents of a YAML stream, as JSON trees. */
    static List<JsonNode> documents(String yaml) {
        try {
            List<JsonNode> documents = new ArrayList<>();
            Iterator<JsonNode> it = YAML.readValues(new YAMLFactory().createParser(yaml), JsonNode.class);
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    documents.add(node);
                }
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException("not YAML: " + e.getMessage(), e);
        }
    }

    private static JsonSchema schema(String file) {
        return SCHEMAS.computeIfAbsent(file, f -> {
            String resource = "/kubernetes-json-schema/" + VERSION + "/" + f;
            try (InputStream in = K8sSchemas.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(resource + " is missing from the test resources");
                }
                ObjectNode root = (ObjectNode) JSON.readTree(in);
                root.remove("$schema"); // "http://json-schema.org/schema#": draft 4 semantics, given below
                strict(root);
                return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(root);
            } catch (IOException e) {
                throw new UncheckedIOException(resource, e);
            }
        });
    }

    /** openapi2jsonschema's --strict: every object schema with properties rejects other keys. */
    static void strict(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && object.get("properties").isObject() && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            object.properties().forEach(entry -> {
                if (!entry.getKey().equals("enum")) {
                    strict(entry.getValue());
                }
            });
        } else if (node.isArray()) {
            node.forEach(K8sSchemas::strict);
        }
    }
}
