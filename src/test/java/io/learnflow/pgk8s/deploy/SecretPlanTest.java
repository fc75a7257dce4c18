package io.learnflow.pgk8s.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.deploy.SecretPlan.Step;
import io.learnflow.pgk8s.manifest.Credentials;
import io.learnflow.pgk8s.manifest.SecretManifests;
import io.learnflow.pgk8s.profile.Profile;

class SecretPlanTest {
    private static final Credentials NEW = new Credentials("new-app", "new-su");
    private static final Credentials OLD = new Credentials("old-app", "old-su");

    private static Secret credentials(Profile madeBy, Credentials c) {
        return SecretManifests.credentials(madeBy, c);
    }

    private static Secret superuser(Profile madeBy, Credentials c) {
        return SecretManifests.superuser(madeBy, c);
    }

    private static SecretPlan plan(Profile profile, Secret credentials, Secret superuser) {
        return SecretPlan.plan(profile, credentials, superuser, () -> NEW);
    }

    @Test
    @DisplayName("first prod deploy creates both Secrets with new passwords")
    void firstProd() {
        SecretPlan plan = plan(Profile.PROD, null, null);
        assertThat(plan.credentials()).isEqualTo(NEW);
        assertThat(plan.credentialsStep()).isEqualTo(Step.CREATE);
        assertThat(plan.superuserStep()).isEqualTo(Step.CREATE);
    }

    @Test
    @DisplayName("re-deploying prod keeps the passwords and never writes the Secrets")
    void prodAgain() {
        SecretPlan plan = SecretPlan.plan(Profile.PROD, credentials(Profile.PROD, OLD), superuser(Profile.PROD, OLD),
                () -> {
                    throw new AssertionError("no password may be generated");
                });
        assertThat(plan.credentials()).isEqualTo(OLD);
        assertThat(plan.credentialsStep()).isEqualTo(Step.KEEP);
        assertThat(plan.superuserStep()).isEqualTo(Step.KEEP);
    }

    @Test
    @DisplayName("dev applies its fixed passwords; over a dev Secret, prod applies new ones")
    void devSecrets() {
        SecretPlan dev = plan(Profile.DEV, null, null);
        assertThat(dev.credentials()).isEqualTo(Credentials.fixed(Profile.DEV).orElseThrow());
        assertThat(dev.credentialsStep()).isEqualTo(Step.APPLY);
        Credentials fixed = Credentials.fixed(Profile.DEV).orElseThrow();
        SecretPlan prodOverDev = plan(Profile.PROD, credentials(Profile.DEV, fixed), superuser(Profile.DEV, fixed));
        assertThat(prodOverDev.credentials()).isEqualTo(NEW);
        assertThat(prodOverDev.credentialsStep()).isEqualTo(Step.APPLY);
    }

    @Test
    @DisplayName("dev after prod keeps the prod passwords: the claim's data directory still has them")
    void devAfterProd() {
        SecretPlan plan = plan(Profile.DEV, credentials(Profile.PROD, OLD), superuser(Profile.PROD, OLD));
        assertThat(plan.credentials()).isEqualTo(OLD);
        assertThat(plan.credentialsStep()).isEqualTo(Step.KEEP);
    }

    @Test
    @DisplayName("a Secret a person made (no profile label) is kept, each Secret on its own")
    void madeByHand() {
        Secret byHand = new SecretBuilder().withNewMetadata().withName("postgres-credentials")
                .withNamespace("postgres").endMetadata()
                .withStringData(Map.of("POSTGRES_USER", "learnflow_user", "POSTGRES_PASSWORD", "typed",
                        "POSTGRES_DB", "learnflow"))
                .build();
        SecretPlan plan = plan(Profile.PROD, byHand, null);
        assertThat(plan.credentials()).isEqualTo(new Credentials("typed", NEW.superuserPassword()));
        assertThat(plan.credentialsStep()).isEqualTo(Step.KEEP);
        assertThat(plan.superuserStep()).isEqualTo(Step.CREATE);
    }

    @Test
    @DisplayName("a kept Secret without a key the StatefulSet reads is exit 2, naming the key")
    void missingKey() {
        Secret spec13 = new SecretBuilder().withNewMetadata().withName("postgres-credentials")
                .withNamespace("postgres").endMetadata()
                .withStringData(Map.of("username", "learnflow_user", "password", "typed"))
                .build();
        assertThatThrownBy(() -> plan(Profile.PROD, spec13, null)).isInstanceOf(Pgk8sException.class)
                .hasMessageStartingWith("Secret postgres-credentials has no key POSTGRES_USER")
                .extracting(e -> ((Pgk8sException) e).exitCode()).isEqualTo(2);
    }

    @Test
    @DisplayName("a kept Secret made by hand for another role or database is exit 2: the services could not log in")
    void otherRole() {
        Secret otherUser = new SecretBuilder().withNewMetadata().withName("postgres-credentials")
                .withNamespace("postgres").endMetadata()
                .withStringData(Map.of("POSTGRES_USER", "admin", "POSTGRES_PASSWORD", "typed",
                        "POSTGRES_DB", "learnflow"))
                .build();
        assertThatThrownBy(() -> plan(Profile.PROD, otherUser, null)).isInstanceOf(Pgk8sException.class)
                .hasMessageStartingWith("Secret postgres-credentials has POSTGRES_USER=admin, but prod deploys"
                        + " learnflow_user")
                .extracting(e -> ((Pgk8sException) e).exitCode()).isEqualTo(2);
        Secret otherDatabase = new SecretBuilder(otherUser).withStringData(Map.of("POSTGRES_USER", "learnflow_user",
                "POSTGRES_PASSWORD", "typed", "POSTGRES_DB", "other")).build();
        assertThatThrownBy(() -> plan(Profile.PROD, otherDatabase, null))
                .hasMessageContaining("POSTGRES_DB=other, but prod deploys learnflow");
    }
}
