package io.learnflow.pgk8s.manifest;

import java.util.LinkedHashMap;
import java.util.Map;

import io.learnflow.pgk8s.profile.Profile;

/** The recommended {@code app.kubernetes.io} labels, in one fixed order so that rendered YAML is stable. */
public final class Labels {
    public static final String NAME = "app.kubernetes.io/name";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String COMPONENT = "app.kubernetes.io/component";
    /** The field manager of every apply, and the value of {@link #MANAGED_BY}. */
    public static final String MANAGER = "pgk8s";

    private Labels() {
    }

    /** What selects the PostgreSQL pods; immutable in a StatefulSet, so it never grows. */
    public static Map<String, String> selector(Profile profile) {
        return Map.of(NAME, profile.statefulSetName());
    }

    /** Every object's labels. */
    public static Map<String, String> common(Profile profile) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, profile.statefulSetName());
        labels.put(COMPONENT, "database");
        labels.put(PART_OF, "learnflow");
        labels.put(MANAGED_BY, MANAGER);
        return labels;
    }

    /** The common labels plus the profile, for the objects a profile switch would replace. */
    public static Map<String, String> withProfile(Profile profile) {
        Map<String, String> labels = common(profile);
        labels.put(Profile.PROFILE_LABEL, profile.name());
        return labels;
    }
}
