package io.learnflow.pgk8s.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;

/**
 * {@code k8s/} is the builders' output. Regenerate it with
 * {@code mvn -B -q test -Dtest=ManifestFilesTest -Dpgk8s.regenerate=true}.
 */
class ManifestFilesTest {
    static final Path ROOT = Path.of("k8s");
    static final String REGENERATE = "mvn -B -q test -Dtest=ManifestFilesTest -Dpgk8s.regenerate=true";

    static String schema() throws IOException {
        return Files.readString(Path.of("migrations", InitScriptsConfigMap.SCHEMA_KEY), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("k8s/ holds exactly what the builders render")
    void filesMatchTheBuilders() throws IOException {
        Map<String, String> expected = KustomizeLayout.files(schema());
        if (Boolean.getBoolean("pgk8s.regenerate")) {
            for (var file : expected.entrySet()) {
                Path path = ROOT.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
            }
        }
        try (Stream<Path> files = Files.walk(ROOT)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> ROOT.relativize(p).toString()).toList())
                    .as("files in %s; regenerate with: %s", ROOT, REGENERATE)
                    .containsExactlyInAnyOrderElementsOf(new TreeSet<>(expected.keySet()));
        }
        for (var file : expected.entrySet()) {
            assertThat(Files.readString(ROOT.resolve(file.getKey()), StandardCharsets.UTF_8))
                    .as("%s differs from the builders' output; regenerate with: %s", file.getKey(), REGENERATE)
                    .isEqualTo(file.getValue());
        }
    }

    @Test
    @DisplayName("base plus an overlay is exactly what render prints for that profile, and prod has no Secret")
    void overlaysAddUpToTheProfiles() throws IOException {
        for (Manifests.Component component : Manifests.Component.values()) {
            Map<String, String> files = KustomizeLayout.files(component, schema());
            for (var profile : List.of(io.learnflow.pgk8s.profile.Profile.DEV, io.learnflow.pgk8s.profile.Profile.PROD)) {
                List<HasMetadata> combined = Stream.concat(objects(files, "base"), objects(files, profile.name()))
                        .toList();
                assertThat(names(combined)).as("%s %s", component, profile.name()).containsExactlyInAnyOrderElementsOf(
                        names(Manifests.forRender(component, profile, schema())));
            }
            assertThat(objects(files, "prod")).noneMatch(Secret.class::isInstance);
            assertThat(objects(files, "base")).noneMatch(Secret.class::isInstance);
        }
    }

    private static Stream<HasMetadata> objects(Map<String, String> files, String directory) {
        String text = files.get(directory + "/objects.yaml");
        return text == null ? Stream.empty() : ManifestText.parse(text).stream();
    }

    private static List<String> names(List<HasMetadata> objects) {
        return objects.stream().map(Manifests::displayName).toList();
    }
}
