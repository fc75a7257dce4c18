package io.learnflow.pgk8s.health;

import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.stream.Collectors;

/**
 * The one rule for "migrated", shared by {@code wait}, {@code verify} and {@code migrate}: every available
 * migration up to the target version is applied, and the schema is at the target or above. Versions applied
 * above the newest file are expected after an image rollback and do not count against it.
 */
public record SchemaStatus(SortedSet<Integer> applied) {

    /** The highest applied version, 0 when none is. */
    public int version() {
        return applied.isEmpty() ? 0 : applied.last();
    }

    /** Available versions at or below {@code target} that are not applied, in order. */
    public List<Integer> pending(Collection<Integer> available, int target) {
        return available.stream().filter(v -> v <= target && !applied.contains(v)).sorted().toList();
    }

    public boolean migrated(Collection<Integer> available, int target) {
        return pending(available, target).isEmpty() && version() >= target;
    }

    /** e.g. {@code at version 2}, {@code at version 4, ahead of this image's 2}, {@code 2 pending: 2, 3}. */
    public String describe(Collection<Integer> available, int target) {
        List<Integer> pending = pending(available, target);
        if (!pending.isEmpty()) {
            return pending.size() + " pending: " + pending.stream().map(String::valueOf).collect(Collectors.joining(", "));
        }
        if (version() < target) {
            return "at version " + version() + ", waiting for " + target;
        }
        int newest = newest(available);
        return "at version " + version() + (version() > newest ? ", ahead of this image's " + newest : "");
    }

    /** The newest available version: verify's target, wait's default; 0 when there is none. */
    public static int newest(Collection<Integer> available) {
        return available.stream().mapToInt(Integer::intValue).max().orElse(0);
    }
}
