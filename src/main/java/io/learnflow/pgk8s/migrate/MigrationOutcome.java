package io.learnflow.pgk8s.migrate;

import java.util.LinkedHashMap;
import java.util.Map;

/** What one migrate run did. Versions are 0 when nothing was ever applied. */
public record MigrationOutcome(int fromVersion, int toVersion, int applied) {

    public String summary() {
        if (applied == 0) {
            return "up to date at version " + toVersion;
        }
        return "applied " + applied + (applied == 1 ? " migration" : " migrations") + ", now at version " + toVersion;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("fromVersion", fromVersion);
        map.put("toVersion", toVersion);
        map.put("applied", applied);
        return map;
    }
}
