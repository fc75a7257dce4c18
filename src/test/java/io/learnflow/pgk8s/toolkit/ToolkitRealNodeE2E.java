package io.learnflow.pgk8s.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.learnflow.pgk8s.manifest.InitialSchema;
import io.learnflow.pgk8s.manifest.Manifests;
import io.learnflow.pgk8s.manifest.Manifests.Component;
import io.learnflow.pgk8s.manifest.Toolkit;
import io.learnflow.pgk8s.profile.Profile;
import io.learnflow.pgk8s.testing.Commands;
import io.learnflow.pgk8s.testing.controlplane.ControlPlane;
import io.learnflow.pgk8s.testing.controlplane.Kubectl;
import io.learnflow.pgk8s.testing.controlplane.Namespaces;
import io.learnflow.pgk8s.testing.controlplane.RealNodeExtension;
import io.learnflow.pgk8s.testing.controlplane.RealNodeImages;

/**
 * Every toolkit role as a real pod from the image of the JVM {@code Dockerfile}, on the real node, each from the
 * manifests {@code render --component pgk8s|services} prints (images overridden to the ones built here): the
 * bootstrap Job deploys PostgreSQL through the API server with its ServiceAccount and migrates it; a service's
 * {@code pgk8s wait} init container lets it start; the migration Job and a run of the CronJob complete.
 */
@ExtendWith(RealNodeExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("the toolkit's roles on the real node")
class ToolkitRealNodeE2E {
    private static final Duration DONE = Duration.ofMinutes(4);
    private static final Profile DEV = Profile.DEV.withImage(RealNodeImages.POSTGRES)
            .withToolkitImage(RealNodeImages.PGK8S);

    private final ControlPlane node;
    private final KubernetesClient client;

    ToolkitRealNodeE2E(ControlPlane node, KubernetesClient client) {
        this.node = node;
        this.client = client;
    }

    @BeforeAll
    @AfterAll
    void clean() {
        Namespaces.deleteAndWait(client, DEV.namespace(), Profile.SERVICES_NAMESPACE);
    }

    private List<HasMetadata> rendered(Component component) {
        return Manifests.forRender(component, DEV, InitialSchema.bundled());
    }

    private void apply(HasMetadata object) {
        client.resource(object).fieldManager("e2e-admin").forceConflicts().serverSideApply();
    }

    private JobStatus awaitJob(String name) {
        return await().atMost(DONE).until(() -> client.batch().v1().jobs().inNamespace(DEV.namespace()).withName(name)
                .get().getStatus(), s -> s != null && (s.getSucceeded() != null || s.getFailed() != null));
    }

    private String log(String jobName, String container) {
        Pod pod = client.pods().inNamespace(DEV.namespace()).withLabel("job-name", jobName).list().getItems().get(0);
        return client.pods().inNamespace(DEV.namespace()).withName(pod.getMetadata().getName()).inContainer(container)
                .getLog();
    }

    @Test
    @Order(1)
    @DisplayName("the bootstrap Job deploys PostgreSQL as its ServiceAccount, then migrates it")
    void bootstrapJob() {
        for (HasMetadata object : rendered(Component.PGK8S)) {
            if (!(object instanceof Job) && !(object instanceof io.fabric8.kubernetes.api.model.batch.v1.CronJob)) {
                apply(object);
            }
        }
        Job bootstrap = Toolkit.bootstrapJob(DEV);
        apply(bootstrap);

        JobStatus status = awaitJob(bootstrap.getMetadata().getName());
        String deployLog = log(bootstrap.getMetadata().getName(), "deploy");
        assertThat(status.getSucceeded()).as("deploy: %s%nmigrate: %s", deployLog,
                log(bootstrap.getMetadata().getName(), "migrate")).isEqualTo(1);
        assertThat(deployLog).contains("statefulset.apps/postgres created")
                .contains("✓ postgres dev ready in ");
        assertThat(log(bootstrap.getMetadata().getName(), "migrate")).contains("now at version 1");
    }

    @Test
    @Order(2)
    @DisplayName("a service's pgk8s wait init container, with the copied Secret's variables, lets it start")
    void initContainer() {
        for (HasMetadata object : rendered(Component.SERVICES)) {
            if (object instanceof Deployment deployment) {
                if (deployment.getMetadata().getName().equals("progress")) {
                    apply(withRunnableMain(deployment));
                }
            } else {
                apply(object);
            }
        }
        // The main container's log is refused until it has started.
        await().atMost(DONE).ignoreExceptions().untilAsserted(() -> {
            Pod pod = client.pods().inNamespace(Profile.SERVICES_NAMESPACE).withLabel("app.kubernetes.io/name",
                    "progress").list().getItems().get(0);
            assertThat(pod.getStatus().getInitContainerStatuses().get(0).getState().getTerminated())
                    .as("the init container ended").isNotNull()
                    .satisfies(t -> assertThat(t.getExitCode()).isZero());
            assertThat(client.pods().inNamespace(Profile.SERVICES_NAMESPACE).withName(pod.getMetadata().getName())
                    .inContainer("progress").getLog()).isEqualTo("started\n");
        });
        Pod pod = client.pods().inNamespace(Profile.SERVICES_NAMESPACE).withLabel("app.kubernetes.io/name", "progress")
                .list().getItems().get(0);
        assertThat(client.pods().inNamespace(Profile.SERVICES_NAMESPACE).withName(pod.getMetadata().getName())
                .inContainer("wait-for-postgres").getLog()).endsWith("ready: learnflow at version 1\n");
    }

    @Test
    @Order(3)
    @DisplayName("the migration Job and a run of the CronJob complete: the database is up to date")
    void migrationJobAndCronJob() {
        Job migrate = Toolkit.migrateJob(DEV);
        apply(migrate);
        assertThat(awaitJob(migrate.getMetadata().getName()).getSucceeded()).isEqualTo(1);
        assertThat(log(migrate.getMetadata().getName(), "migrate")).contains("up to date at version 1");

        apply(Toolkit.migrateCronJob(DEV));
        Commands.Result run = Kubectl.run(node, "create", "job", "-n", DEV.namespace(),
                "--from=cronjob/" + DEV.migrateCronJobName(), "sync-now");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(awaitJob("sync-now").getSucceeded()).isEqualTo(1);
        assertThat(log("sync-now", "migrate")).contains("up to date at version 1");
    }

    // The example's own image is not here: its main container is the base image, as the same restricted user.
    private static Deployment withRunnableMain(Deployment deployment) {
        return new DeploymentBuilder(deployment)
                .editSpec().editTemplate().editSpec()
                    .editFirstContainer()
                        .withImage(RealNodeImages.BASE)
                        .withCommand("sh", "-c", "echo started; sleep 3600")
                    .endContainer()
                .endSpec().endTemplate().endSpec()
                .build();
    }
}
