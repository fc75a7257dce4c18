package io.learnflow.pgk8s.cli.options;

import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.profile.Profile;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The profile argument, {@code dev} (default) or {@code prod}, and the image override. */
public class ProfileOption {
    @Parameters(index = "0", arity = "0..1", defaultValue = "dev", paramLabel = "PROFILE",
            description = "dev (emptyDir, 512Mi, 500m) or prod (10Gi claim, 2Gi, 1 CPU); default ${DEFAULT-VALUE}")
    String name;
    @Option(names = "--image", paramLabel = "IMAGE",
            description = "PostgreSQL 16 image with the official image's contract (default "
                    + Profile.DEFAULT_IMAGE + ")")
    String image;

    @Option(names = "--toolkit-image", paramLabel = "IMAGE",
            description = "pgk8s image of the Jobs and init containers (default " + Profile.DEFAULT_TOOLKIT_IMAGE + ")")
    String toolkitImage;

    /** @throws Pgk8sException exit 2 for an unknown profile or an image that is no image reference */
    public Profile profile() {
        Profile profile = Profile.named(name);
        if (image != null) {
            profile = profile.withImage(checked("--image", image));
        }
        if (toolkitImage != null) {
            profile = profile.withToolkitImage(checked("--toolkit-image", toolkitImage));
        }
        return profile;
    }

    private static String checked(String option, String reference) {
        if (reference.isBlank() || reference.chars().anyMatch(Character::isWhitespace)) {
            throw Pgk8sException.badInput(option + " '" + reference
                    + "' is not an image reference, pass one like postgres:16-alpine");
        }
        return reference;
    }
}
