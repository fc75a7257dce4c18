package io.learnflow.pgk8s.deploy;

import java.util.List;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.Secret;
import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.manifest.Credentials;
import io.learnflow.pgk8s.manifest.SecretManifests;
import io.learnflow.pgk8s.profile.Profile;

/**
 * Which passwords a deploy uses, and what it does with each password Secret. A Secret that holds a password a data
 * directory may have been made with is never changed: a prod Secret, or one a person made. Regenerating it would
 * lock every client out (bitnami/charts#2061).
 */
public record SecretPlan(Credentials credentials, Step credentialsStep, Step superuserStep) {

    public enum Step {
        /** Leave the existing Secret as it is; its password is used. */
        KEEP,
        /** Server-side apply the profile's Secret (dev's fixed one, or a dev one that prod replaces). */
        APPLY,
        /** Create the Secret; it does not exist yet. */
        CREATE
    }

    /**
     * @param credentials the existing {@code postgres-credentials}, or {@code null}
     * @param superuser   the existing {@code postgres-superuser}, or {@code null}
     * @param generate    new passwords, called only when prod needs them
     * @throws Pgk8sException exit 2 when a kept Secret lacks a key the StatefulSet reads
     */
    public static SecretPlan plan(Profile profile, Secret credentials, Secret superuser, Supplier<Credentials> generate) {
        Step credentialsStep = step(profile, credentials);
        Step superuserStep = step(profile, superuser);
        Credentials fresh = credentialsStep == Step.KEEP && superuserStep == Step.KEEP ? null
                : Credentials.fixed(profile).orElseGet(generate);
        String appPassword = credentialsStep == Step.KEEP
                ? required(credentials, List.of(SecretManifests.USER_KEY, SecretManifests.DATABASE_KEY,
                        SecretManifests.PASSWORD_KEY), SecretManifests.PASSWORD_KEY)
                : fresh.appPassword();
        if (credentialsStep == Step.KEEP) {
            requireProfiles(profile, credentials, SecretManifests.USER_KEY, profile.user());
            requireProfiles(profile, credentials, SecretManifests.DATABASE_KEY, profile.database());
        }
        String superuserPassword = superuserStep == Step.KEEP
                ? required(superuser, List.of(SecretManifests.BASIC_AUTH_PASSWORD), SecretManifests.BASIC_AUTH_PASSWORD)
                : fresh.superuserPassword();
        return new SecretPlan(new Credentials(appPassword, superuserPassword), credentialsStep, superuserStep);
    }

    private static Step step(Profile profile, Secret existing) {
        if (existing == null) {
            return profile.defaultPassword() == null ? Step.CREATE : Step.APPLY;
        }
        String madeBy = existing.getMetadata().getLabels() == null ? null
                : existing.getMetadata().getLabels().get(Profile.PROFILE_LABEL);
        boolean fixedPassword = Profile.DEV.name().equals(madeBy);
        return fixedPassword ? Step.APPLY : Step.KEEP;
    }

    /**
     * The init script makes the profile's role and database from these keys, and postgres-app names the profile's:
     * a kept Secret with others would leave the services unable to log in.
     */
    private static void requireProfiles(Profile profile, Secret secret, String key, String expected) {
        String value = SecretManifests.value(secret, key);
        if (!expected.equals(value)) {
            throw Pgk8sException.badInput("Secret " + secret.getMetadata().getName() + " has " + key + "=" + value
                    + ", but " + profile.name() + " deploys " + expected + " (spec 4.2); set it to " + expected
                    + " (kubectl edit secret -n " + secret.getMetadata().getNamespace() + " "
                    + secret.getMetadata().getName() + ")");
        }
    }

    private static String required(Secret secret, List<String> keys, String wanted) {
        for (String key : keys) {
            if (SecretManifests.value(secret, key) == null) {
                throw Pgk8sException.badInput("Secret " + secret.getMetadata().getName() + " has no key " + key
                        + ", which the StatefulSet reads; add it (kubectl edit secret -n "
                        + secret.getMetadata().getNamespace() + " " + secret.getMetadata().getName() + ")");
            }
        }
        return SecretManifests.value(secret, wanted);
    }
}
