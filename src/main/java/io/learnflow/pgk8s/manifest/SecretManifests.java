package io.learnflow.pgk8s.manifest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.profile.Profile;

/**
 * The three Secrets. Values go in {@code data}, base64 of UTF-8, because a server-side apply of
 * {@code stringData} never reads back as applied.
 */
public final class SecretManifests {
    /** Keys of {@code postgres-credentials}, the names of the official image's variables (spec 4.2). */
    public static final String USER_KEY = "POSTGRES_USER";
    public static final String PASSWORD_KEY = "POSTGRES_PASSWORD";
    public static final String DATABASE_KEY = "POSTGRES_DB";
    /** Keys of {@code postgres-superuser}, a {@code kubernetes.io/basic-auth} Secret. */
    public static final String BASIC_AUTH_USER = "username";
    public static final String BASIC_AUTH_PASSWORD = "password";
    /** Keys of {@code postgres-app} besides libpq's PG* variables, after CloudNativePG's app Secret. */
    public static final String APP_HOST = "host";
    public static final String APP_PORT = "port";
    public static final String APP_DATABASE = "dbname";
    public static final String APP_USER = "user";
    public static final String APP_PASSWORD = "password";

    private SecretManifests() {
    }

    /** The app role's login: who services, {@code migrate} and {@code wait} connect as. */
    public static Secret credentials(Profile profile, Credentials credentials) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(USER_KEY, profile.user());
        data.put(PASSWORD_KEY, credentials.appPassword());
        data.put(DATABASE_KEY, profile.database());
        return secret(profile, profile.credentialsSecretName(), "Opaque", data);
    }

    /** The image's superuser, for first boot and for an administrator; no service uses it. */
    public static Secret superuser(Profile profile, Credentials credentials) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(BASIC_AUTH_USER, Profile.SUPERUSER);
        data.put(BASIC_AUTH_PASSWORD, credentials.superuserPassword());
        return secret(profile, profile.superuserSecretName(), "kubernetes.io/basic-auth", data);
    }

    /**
     * What an application mounts or takes with {@code envFrom}, after CloudNativePG's and Crunchy PGO's app
     * Secrets: the parts, a libpq URI and a JDBC URL (the password percent-encoded), and libpq's own variables.
     */
    public static Secret app(Profile profile, Credentials credentials) {
        ConnectionSettings settings = new ConnectionSettings(profile.serviceHost(), profile.port(),
                profile.database(), profile.user(), credentials.appPassword());
        Map<String, String> data = new LinkedHashMap<>();
        data.put(APP_HOST, profile.serviceHost());
        data.put(APP_PORT, Integer.toString(profile.port()));
        data.put(APP_DATABASE, profile.database());
        data.put(APP_USER, profile.user());
        data.put(APP_PASSWORD, credentials.appPassword());
        data.put("uri", settings.uri());
        data.put("jdbc-uri", settings.jdbcUrlWithCredentials());
        data.putAll(settings.libpqEnvironment());
        return secret(profile, profile.appSecretName(), "Opaque", data);
    }

    /** A value of a Secret as text; {@code null} when the key is missing. */
    public static String value(Secret secret, String key) {
        String encoded = secret.getData() == null ? null : secret.getData().get(key);
        if (encoded != null) {
            return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        }
        return secret.getStringData() == null ? null : secret.getStringData().get(key);
    }

    private static Secret secret(Profile profile, String name, String type, Map<String, String> values) {
        Map<String, String> data = new LinkedHashMap<>();
        values.forEach((key, value) -> data.put(key,
                Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(profile.namespace())
                    .withLabels(Labels.withProfile(profile))
                .endMetadata()
                .withType(type)
                .withData(data)
                .build();
    }
}
