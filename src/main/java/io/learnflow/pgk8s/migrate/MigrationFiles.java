package io.learnflow.pgk8s.migrate;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.learnflow.pgk8s.Pgk8sException;

/**
 * Checks the names in a migrations directory before anything runs: every file is a migration named
 * {@code NNN_description.sql} (spec section 5.3), its Flyway {@code .sql.conf}, or refused with the reason.
 * Nothing is skipped silently. Returns the migrations in numeric order.
 */
public final class MigrationFiles {
    static final Pattern NAME = Pattern.compile("(\\d+)_([A-Za-z0-9][A-Za-z0-9_-]*)\\.sql");
    static final String SUFFIX = ".sql";
    static final String CONF_SUFFIX = ".sql.conf";
    /** schema_migrations.version is an INTEGER (spec section 5.3). */
    static final BigInteger MAX_VERSION = BigInteger.valueOf(Integer.MAX_VALUE);

    private MigrationFiles() {
    }

    public static List<MigrationFile> validate(Collection<String> fileNames, String where) {
        Set<String> names = Set.copyOf(fileNames);
        List<MigrationFile> files = new ArrayList<>();
        Map<Integer, String> byVersion = new HashMap<>();
        for (String name : fileNames.stream().sorted().toList()) {
            if (name.endsWith(CONF_SUFFIX)) {
                String sql = name.substring(0, name.length() - ".conf".length());
                if (!names.contains(sql)) {
                    throw badName(name, where, "it configures " + sql + ", which is not there; rename or remove it");
                }
                continue;
            }
            if (name.startsWith(".") && !name.toLowerCase(Locale.ROOT).endsWith(SUFFIX)) {
                continue; // hidden files (.gitkeep) are not migrations and never were
            }
            MigrationFile file = parse(name, where);
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

    private static MigrationFile parse(String name, String where) {
        if (!name.toLowerCase(Locale.ROOT).endsWith(SUFFIX)) {
            throw badName(name, where, "it is not a migration; keep only NNN_description.sql files"
                    + " (and their .sql.conf) there");
        }
        if (!name.endsWith(SUFFIX)) {
            throw badName(name, where, "rename it to end in .sql, in lower case");
        }
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw badName(name, where, reason(name));
        }
        BigInteger version = new BigInteger(m.group(1));
        if (version.signum() == 0) {
            throw badName(name, where, "version 0 is the baseline's; number migrations from 001");
        }
        if (version.compareTo(MAX_VERSION) > 0) {
            throw badName(name, where, "version " + version + " is longer than schema_migrations.version (INTEGER)"
                    + " allows, at most " + MAX_VERSION + "; renumber it");
        }
        return new MigrationFile(version.intValue(), name);
    }

    private static String reason(String name) {
        String stem = name.substring(0, name.length() - SUFFIX.length());
        if (stem.matches("[Vv]\\d.*")) {
            return "pgk8s names migrations without Flyway's V prefix and with one underscore:"
                    + " rename it to NNN_description.sql, e.g. 001_init.sql";
        }
        if (!stem.matches("\\d.*")) {
            return "it does not start with a version number: rename it to NNN_description.sql, e.g. 002_add_index.sql";
        }
        if (!stem.matches("\\d+_.+")) {
            return "the version must be followed by _ and a description: rename it to NNN_description.sql,"
                    + " e.g. 002_add_index.sql";
        }
        return "a description holds letters, digits, _ and - and starts with a letter or digit:"
                + " rename it to NNN_description.sql, e.g. 002_add_index.sql";
    }

    private static Pgk8sException badName(String name, String where, String why) {
        return Pgk8sException.badInput("bad migration file name '" + name + "' in " + where + ": " + why);
    }
}
