package io.learnflow.pgk8s.migrate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.learnflow.pgk8s.Pgk8sException;

/**
 * Checks a set of migration file names before anything runs: the spec's {@code NNN_description.sql}
 * naming, one file per version, at least one file. Returns them in numeric order.
 */
public final class MigrationFiles {
    static final Pattern NAME = Pattern.compile("(\\d{1,9})_([A-Za-z0-9][A-Za-z0-9_-]*)\\.sql");
    static final String SUFFIX = ".sql";

    private MigrationFiles() {
    }

    public static List<MigrationFile> validate(Collection<String> fileNames, String where) {
        List<MigrationFile> files = new ArrayList<>();
        Map<Integer, String> byVersion = new HashMap<>();
        for (String name : fileNames.stream().filter(n -> n.endsWith(SUFFIX)).sorted().toList()) {
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                throw Pgk8sException.badInput("bad migration file name '" + name + "' in " + where
                        + ": rename it to NNN_description.sql, e.g. 002_add_index.sql");
            }
            MigrationFile file = new MigrationFile(Integer.parseInt(m.group(1)), name);
            String other = byVersion.putIfAbsent(file.version(), name);
            if (other != null) {
                throw Pgk8sException.badInput("duplicate migration version " + file.version() + " in " + where + ": "
                        + other + " and " + name + ", give each file its own number");
            }
            files.add(file);
        }
        if (files.isEmpty()) {
            throw Pgk8sException.badInput("no migrations in " + where + ": add files named NNN_description.sql");
        }
        files.sort(Comparator.comparingInt(MigrationFile::version));
        return List.copyOf(files);
    }
}
