package io.learnflow.pgk8s.manifest;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.learnflow.pgk8s.profile.Profile;

/**
 * {@code postgres-init-schema} (spec 4.2), mounted at {@code /docker-entrypoint-initdb.d}: the image runs it once,
 * on first boot. Its script makes the app role, a non-superuser that owns the database, then creates the schema
 * as that role from the same file as {@code migrations/001_initial_schema.sql}, so that the role owns the tables
 * that later migrations alter. A later {@code pgk8s migrate} baselines that schema.
 */
public final class InitScriptsConfigMap {
    /** The script's key and file name; the image sources {@code *.sh} files in name order. */
    public static final String SCRIPT_KEY = "10-learnflow.sh";
    /** The schema's key; mounted in a subdirectory, which the image does not run on its own. */
    public static final String SCHEMA_KEY = "001_initial_schema.sql";
    public static final String SCHEMA_DIRECTORY = "schema";
    public static final String MOUNT_PATH = "/docker-entrypoint-initdb.d";
    /** The StatefulSet's variables that the script reads. */
    static final String APP_USER_ENV = "LEARNFLOW_USER";
    static final String APP_PASSWORD_ENV = "LEARNFLOW_PASSWORD";

    // Sourced by the entrypoint while its temporary server listens on the Unix socket only, as POSTGRES_USER.
    private static final String SCRIPT = """
            # pgk8s: the app role, not a superuser, owns the database and its schema.
            psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres \\
                -v role="$%1$s" -v password="$%2$s" -v db="$POSTGRES_DB" <<'SQL'
            CREATE ROLE :"role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
            ALTER DATABASE :"db" OWNER TO :"role";
            SQL
            psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$%1$s" --dbname "$POSTGRES_DB" \\
                -f %3$s/%4$s/%5$s
            """.formatted(APP_USER_ENV, APP_PASSWORD_ENV, MOUNT_PATH, SCHEMA_DIRECTORY, SCHEMA_KEY);

    private InitScriptsConfigMap() {
    }

    /** @param initialSchema the text of {@code migrations/001_initial_schema.sql} */
    public static ConfigMap build(Profile profile, String initialSchema) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(SCRIPT_KEY, SCRIPT);
        data.put(SCHEMA_KEY, initialSchema);
        return new ConfigMapBuilder()
                .withNewMetadata()
                    .withName(profile.initConfigMapName())
                    .withNamespace(profile.namespace())
                    .withLabels(Labels.common(profile))
                .endMetadata()
                .withData(data)
                .build();
    }
}
