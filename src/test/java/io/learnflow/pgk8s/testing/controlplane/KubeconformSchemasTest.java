package io.learnflow.pgk8s.testing.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubeconformSchemasTest {

    // The shape of /openapi/v3/apis/apps/v1, cut down: a kind, a shared component, a map, a recursive type.
    private static final String DOCUMENT = """
            {"components": {"schemas": {
              "io.k8s.api.apps.v1.Widget": {
                "description": "A widget.",
                "type": "object",
                "properties": {
                  "kind": {"type": "string"},
                  "metadata": {"default": {}, "allOf": [{"$ref": "#/components/schemas/meta.ObjectMeta"}]},
                  "spec": {"$ref": "#/components/schemas/io.k8s.api.apps.v1.Node"}
                },
                "x-kubernetes-group-version-kind": [{"group": "apps", "kind": "Widget", "version": "v1"}]
              },
              "io.k8s.api.apps.v1.Node": {
                "type": "object",
                "properties": {
                  "description": {"type": "string", "description": "a field named description stays"},
                  "children": {"type": "array", "items": {"$ref": "#/components/schemas/io.k8s.api.apps.v1.Node"}},
                  "raw": {"type": "object", "properties": {}, "x-kubernetes-preserve-unknown-fields": true}
                }
              },
              "meta.ObjectMeta": {
                "type": "object",
                "properties": {"labels": {"type": "object", "additionalProperties": {"type": "string"}}}
              },
              "meta.DeleteOptions": {
                "type": "object",
                "x-kubernetes-group-version-kind": [
                  {"group": "", "kind": "DeleteOptions", "version": "v1"},
                  {"group": "apps", "kind": "DeleteOptions", "version": "v1"}]
              },
              "meta.WatchEvent": {
                "x-kubernetes-group-version-kind": [{"group": "batch", "kind": "WatchEvent", "version": "v1"}]
              }
            }}}
            """;

    private static Map<String, ObjectNode> schemas() throws Exception {
        return KubeconformSchemas.fromOpenApi("apps", "v1", new ObjectMapper().readTree(DOCUMENT));
    }

    @Test
    @DisplayName("writes one schema per kind of the document's own group and version")
    void onePerKind() throws Exception {
        assertThat(schemas()).containsOnlyKeys("widget-apps-v1.json", "deleteoptions-apps-v1.json");
    }

    @Test
    @DisplayName("a schema stands alone: references point into its definitions, which hold what it uses")
    void standalone() throws Exception {
        JsonNode widget = schemas().get("widget-apps-v1.json");

        assertThat(widget.at("/properties/spec/$ref").asText()).isEqualTo("#/definitions/io.k8s.api.apps.v1.Node");
        assertThat(widget.at("/properties/metadata/allOf/0/$ref").asText()).isEqualTo("#/definitions/meta.ObjectMeta");
        assertThat(widget.at("/definitions/io.k8s.api.apps.v1.Node/properties/children/items/$ref").asText())
                .isEqualTo("#/definitions/io.k8s.api.apps.v1.Node");
        assertThat(widget.get("definitions").fieldNames()).toIterable()
                .containsExactly("io.k8s.api.apps.v1.Node", "meta.ObjectMeta");
        assertThat(widget.toString()).doesNotContain("#/components/");
    }

    @Test
    @DisplayName("an object with properties allows no others, unless it keeps unknown fields; maps stay maps")
    void strict() throws Exception {
        JsonNode widget = schemas().get("widget-apps-v1.json");

        assertThat(widget.at("/additionalProperties").asBoolean(true)).isFalse();
        assertThat(widget.at("/definitions/io.k8s.api.apps.v1.Node/additionalProperties").asBoolean(true)).isFalse();
        assertThat(widget.at("/definitions/io.k8s.api.apps.v1.Node/properties/raw").has("additionalProperties"))
                .isFalse();
        assertThat(widget.at("/definitions/meta.ObjectMeta/properties/labels/additionalProperties/type").asText())
                .isEqualTo("string");
    }

    @Test
    @DisplayName("descriptions go, a property named description stays")
    void descriptions() throws Exception {
        JsonNode widget = schemas().get("widget-apps-v1.json");

        assertThat(widget.has("description")).isFalse();
        assertThat(widget.at("/definitions/io.k8s.api.apps.v1.Node/properties/description/type").asText())
                .isEqualTo("string");
        assertThat(widget.at("/definitions/io.k8s.api.apps.v1.Node/properties/description").has("description"))
                .isFalse();
    }

    @ParameterizedTest(name = "{0} {1}/{2} -> {3}")
    @DisplayName("names a schema as kubeconform's {{.ResourceKind}}{{.KindSuffix}}.json does")
    @CsvSource({
        "Deployment, apps, v1, deployment-apps-v1.json",
        "Service, '', v1, service-v1.json",
        "NetworkPolicy, networking.k8s.io, v1, networkpolicy-networking-v1.json",
        "HorizontalPodAutoscaler, autoscaling, v2, horizontalpodautoscaler-autoscaling-v2.json",
    })
    void fileNames(String kind, String group, String version, String file) {
        assertThat(KubeconformSchemas.fileName(kind, group, version)).isEqualTo(file);
    }
}
