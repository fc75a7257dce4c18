package io.learnflow.pgk8s.testing.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.learnflow.pgk8s.testing.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The manifest linter: kubeconform, built by {@code build.sh} beside the control plane, checking against
 * strict schemas made from this control plane's own OpenAPI v3, so it knows exactly the kinds and fields
 * of the Kubernetes version under test. No schema is downloaded.
 */
public final class Kubeconform {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    // api/v1, apis/apps/v1; not the group documents (apis/apps) nor /version and the OpenID ones.
    private static final Pattern GROUP_VERSION = Pattern.compile("(?:api|apis/(?<group>[^/]+))/(?<version>[^/]+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path binary;
    private final Path schemas;

    private Kubeconform(Path binary, Path schemas) {
        this.binary = binary;
        this.schemas = schemas;
    }

    /** Writes the schemas into the run directory (a few seconds), so they always match the apiserver. */
    public static Kubeconform of(ControlPlane controlPlane) {
        Path binary = controlPlane.binary("kubeconform");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: run src/test/controlplane/build.sh");
        }
        Path schemas = controlPlane.runDirectory().resolve("kubeconform-schemas");
        long started = System.nanoTime();
        try {
            Files.createDirectories(schemas);
            int kinds = writeSchemas(controlPlane.client(), schemas);
            System.out.printf("[kubeconform] %d schemas from the apiserver's OpenAPI v3 in %.1f s: %s%n", kinds,
                    (System.nanoTime() - started) / 1e9, schemas);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Kubeconform(binary, schemas);
    }

    private static int writeSchemas(KubernetesClient client, Path dir) throws IOException {
        Set<String> written = new HashSet<>();
        JsonNode index = JSON.readTree(client.raw("/openapi/v3"));
        for (Iterator<Map.Entry<String, JsonNode>> it = index.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            Matcher gv = GROUP_VERSION.matcher(path.getKey());
            if (!gv.matches()) {
                continue;
            }
            String group = gv.group("group") == null ? "" : gv.group("group");
            JsonNode document = JSON.readTree(client.raw(path.getValue().path("serverRelativeURL").asText()));
            Map<String, ObjectNode> schemas = KubeconformSchemas.fromOpenApi(group, gv.group("version"), document);
            for (Map.Entry<String, ObjectNode> schema : schemas.entrySet()) {
                // kubeconform names a schema by the first label of the group only (networking.k8s.io: networking).
                if (!written.add(schema.getKey())) {
                    throw new IllegalStateException("two kinds share kubeconform's schema name " + schema.getKey());
                }
                JSON.writeValue(dir.resolve(schema.getKey()).toFile(), schema.getValue());
            }
        }
        return written.size();
    }

    /** {@code kubeconform -strict -summary} over these files: exit 0 only when every object is valid. */
    public Commands.Result lint(List<Path> files) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-strict", "-summary",
                "-schema-location", schemas.resolve(KubeconformSchemas.FILE_TEMPLATE).toString()));
        files.forEach(f -> command.add(f.toString()));
        return Commands.run(TIMEOUT, null, command);
    }
}
