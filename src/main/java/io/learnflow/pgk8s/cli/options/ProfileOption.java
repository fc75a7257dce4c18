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

    /** @throws io.learnflow.pgk8s.Pgk8sException exit 2 for an unknown profile or a blank image */
    public Profile profile() {
        Profile profile = Profile.named(name);
        if (image == null) {
            return profile;
        }
        if (image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
            throw Pgk8sException.badInput("--image '" + image
                    + "' is not an image reference, pass one like postgres:16-alpine");
        }
        return profile.withImage(image);
    }
}
