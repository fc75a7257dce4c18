package io.learnflow.pgk8s.migrate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one migrate run did. Versions are 0 when nothing was ever applied; {@code newestFile} is the newest
 * migration this pgk8s carries, below the database's version after an image rollback.
 */
public record MigrationOutcome(int fromVersion, int toVersion, int applied, int newestFile) {

    public String summary() {
        if (toVersion > newestFile) {
            return "database at " + toVersion + ", ahead of this image's " + newestFile;
        }
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
        map.put("newestFile", newestFile);
        return map;
    }
}
