package io.learnflow.pgk8s.manifest;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import io.learnflow.pgk8s.profile.Profile;

/**
 * The two passwords a deployment needs: the app role's ({@code learnflow_user}) and the image superuser's.
 * Builders take them as input and never make one.
 */
public record Credentials(String appPassword, String superuserPassword) {
    /** Random bytes per generated password: 32 bytes are 43 URL-safe characters. */
    static final int RANDOM_BYTES = 32;
    private static final String DEV_SUPERUSER_PASSWORD = "dev_superuser_password_change_in_prod";

    /** The fixed dev passwords (spec 4.2); empty for a profile whose passwords are generated. */
    public static Optional<Credentials> fixed(Profile profile) {
        return Optional.ofNullable(profile.defaultPassword())
                .map(password -> new Credentials(password, DEV_SUPERUSER_PASSWORD));
    }

    /** Two new passwords from {@code random}: URL-safe base64 without padding, nothing to escape in a URI. */
    public static Credentials generate(SecureRandom random) {
        return new Credentials(password(random), password(random));
    }

    private static String password(SecureRandom random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "Credentials[********]";
    }
}
