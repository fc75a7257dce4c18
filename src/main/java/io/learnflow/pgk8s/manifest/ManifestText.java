package io.learnflow.pgk8s.manifest;

import java.util.List;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Objects as text: YAML documents as {@code kubectl get -o yaml} prints them, or one JSON {@code v1/List}. */
public final class ManifestText {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private ManifestText() {
    }

    /** One YAML document per object, each starting with {@code ---}. */
    public static String yaml(List<? extends HasMetadata> objects) {
        return objects.stream().map(SERIALIZATION::asYaml).collect(Collectors.joining());
    }

    public static String json(List<? extends HasMetadata> objects) {
        return SERIALIZATION.asJson(new KubernetesListBuilder().withItems(List.copyOf(objects)).build());
    }

    /** Reads YAML or JSON documents back into objects, e.g. a rendered file for a dry run. */
    public static List<HasMetadata> parse(String text) {
        Object parsed = SERIALIZATION.unmarshal(text);
        if (parsed instanceof List<?> list) {
            return list.stream().map(HasMetadata.class::cast).toList();
        }
        if (parsed instanceof io.fabric8.kubernetes.api.model.KubernetesList list) {
            return list.getItems();
        }
        return List.of((HasMetadata) parsed);
    }
}
