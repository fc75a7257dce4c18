package io.learnflow.pgk8s.testing.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns one group-version document of an apiserver's OpenAPI v3 ({@code /openapi/v3/apis/apps/v1}) into the
 * strict, standalone JSON schemas kubeconform reads, one per kind, named as kubeconform's
 * {@code {{.ResourceKind}}{{.KindSuffix}}.json} template names them ({@code deployment-apps-v1.json},
 * {@code service-v1.json}). Pure: no client, no files.
 */
public final class KubeconformSchemas {
    static final String FILE_TEMPLATE = "{{.ResourceKind}}{{.KindSuffix}}.json";

    private static final String COMPONENTS = "#/components/schemas/";
    private static final String DEFINITIONS = "#/definitions/";

    private KubeconformSchemas() {
    }

    /**
     * The schemas of the kinds this document serves in its own group and version (file name to schema).
     * Each file carries the components it refers to under {@code definitions}, so it stands alone and
     * recursive types (JSONSchemaProps) stay finite.
     */
    public static Map<String, ObjectNode> fromOpenApi(String group, String version, JsonNode document) {
        JsonNode components = document.path("components").path("schemas");
        Map<String, ObjectNode> files = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = components.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> component = it.next();
            for (JsonNode gvk : component.getValue().path("x-kubernetes-group-version-kind")) {
                // DeleteOptions and WatchEvent list every group; each document writes only its own.
                if (gvk.path("group").asText().equals(group) && gvk.path("version").asText().equals(version)) {
                    files.put(fileName(gvk.path("kind").asText(), group, version),
                            standalone(component.getKey(), components));
                }
            }
        }
        return files;
    }

    /** kubeconform's name for a kind's schema: {@code registry.schemaPath} in its module. */
    static String fileName(String kind, String group, String version) {
        String suffix = group.isEmpty() ? "-" + version : "-" + group.split("\\.")[0] + "-" + version;
        return (kind + suffix).toLowerCase(Locale.ROOT) + ".json";
    }

    private static ObjectNode standalone(String name, JsonNode components) {
        Map<String, JsonNode> definitions = new TreeMap<>();
        Deque<String> todo = new ArrayDeque<>();
        ObjectNode root = strict(components.get(name), todo);
        while (!todo.isEmpty()) {
            String ref = todo.pop();
            if (!definitions.containsKey(ref)) {
                JsonNode component = components.get(ref);
                if (component == null) {
                    throw new IllegalStateException(name + " refers to " + ref + ", which the document lacks");
                }
                definitions.put(ref, strict(component, todo));
            }
        }
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("$schema", "http://json-schema.org/draft-04/schema#");
        schema.setAll(root);
        schema.putObject("definitions").setAll(definitions);
        return schema;
    }

    /** A strict copy of an OpenAPI schema; see {@link #makeStrict}. */
    private static ObjectNode strict(JsonNode schema, Deque<String> refs) {
        ObjectNode copy = schema.deepCopy();
        makeStrict(copy, refs);
        return copy;
    }

    /**
     * Makes an OpenAPI schema strict JSON schema, in place: an object with {@code properties} allows no
     * others, as the apiserver's strict field validation, unless it keeps unknown fields. References point
     * into {@code definitions} and are queued; descriptions go, as no check reads them.
     */
    private static void makeStrict(ObjectNode schema, Deque<String> refs) {
        schema.remove("description");
        JsonNode ref = schema.get("$ref");
        if (ref != null) {
            if (!ref.asText().startsWith(COMPONENTS)) {
                throw new IllegalStateException("a $ref outside the document: " + ref.asText());
            }
            String name = ref.asText().substring(COMPONENTS.length());
            refs.push(name);
            schema.put("$ref", DEFINITIONS + name);
        }
        if (schema.get("properties") instanceof ObjectNode properties) {
            properties.elements().forEachRemaining(p -> makeStrict((ObjectNode) p, refs));
            boolean keepsUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
            if (!schema.has("additionalProperties") && !keepsUnknown) {
                schema.put("additionalProperties", false);
            }
        }
        for (String key : new String[] {"items", "additionalProperties", "not"}) {
            if (schema.get(key) instanceof ObjectNode sub) {
                makeStrict(sub, refs);
            }
        }
        for (String key : new String[] {"allOf", "anyOf", "oneOf"}) {
            if (schema.get(key) instanceof ArrayNode list) {
                list.elements().forEachRemaining(s -> makeStrict((ObjectNode) s, refs));
            }
        }
    }
}
