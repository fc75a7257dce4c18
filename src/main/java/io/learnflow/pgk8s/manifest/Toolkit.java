package io.learnflow.pgk8s.manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.profile.Profile;

/**
 * The toolkit in its cluster roles: the bootstrap Job ({@code deploy}, then {@code migrate}), the migration Job and
 * its CronJob. Every pod is {@code restricted}, on a read-only root with {@code /tmp} on an emptyDir, and carries the
 * NetworkPolicy's client label.
 */
public final class Toolkit {
    static final String NAME = "pgk8s";
    /** Retries of a failed pod: a connection refused while PostgreSQL restarts is worth another try. */
    static final int BACKOFF_LIMIT = 2;
    static final long BOOTSTRAP_DEADLINE_SECONDS = 900;
    static final long MIGRATE_DEADLINE_SECONDS = 600;
    /**
     * How long migrate waits for PostgreSQL first: a migration Job applied with the bootstrap Job (one kubectl apply
     * -k) would otherwise spend its retries before the first deploy is Ready.
     */
    static final long MIGRATE_WAIT_SECONDS = 300;
    /** A finished Job and its pod's log stay a day, then go; the next image tag makes a Job of its own. */
    static final int TTL_SECONDS = 86_400;
    static final String SCHEDULE = "0 * * * *";
    private static final String API_ACCESS = "kube-api-access";
    /** Where in-cluster clients (fabric8's included) read the ServiceAccount's token, CA and namespace. */
    private static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

    private Toolkit() {
    }

    /**
     * {@code deploy <profile>} in an init container, then {@code migrate}, as the {@code pgk8s} ServiceAccount. Only
     * the deploy container gets the ServiceAccount's token; migrate needs none.
     */
    public static Job bootstrapJob(Profile profile) {
        Container deploy = new ContainerBuilder(container(profile, "deploy",
                List.of("deploy", profile.name(), "--image", profile.image()), false))
                .addNewVolumeMount()
                    .withName(API_ACCESS)
                    .withMountPath(SERVICE_ACCOUNT_DIR)
                    .withReadOnly(true)
                .endVolumeMount()
                .build();
        return job(profile, profile.bootstrapJobName(), "bootstrap", jobSpec(profile, "bootstrap",
                BOOTSTRAP_DEADLINE_SECONDS, true, List.of(deploy)).withTtlSecondsAfterFinished(TTL_SECONDS).build());
    }

    /** {@code migrate} with the migrations bundled in the image; needs no Kubernetes API. */
    public static Job migrateJob(Profile profile) {
        return job(profile, profile.migrateJobName(), "migrate", jobSpec(profile, "migrate", MIGRATE_DEADLINE_SECONDS,
                false, List.of()).withTtlSecondsAfterFinished(TTL_SECONDS).build());
    }

    /**
     * {@code migrate} every hour, one run at a time. A run that finds an applied file edited (Flyway's checksum
     * validation) fails, and the failed Job stays in the history.
     */
    public static CronJob migrateCronJob(Profile profile) {
        return new CronJobBuilder()
                .withNewMetadata()
                    .withName(profile.migrateCronJobName())
                    .withNamespace(profile.namespace())
                    .withLabels(labels("migrate"))
                .endMetadata()
                .withNewSpec()
                    .withSchedule(SCHEDULE)
                    .withConcurrencyPolicy("Forbid")
                    .withStartingDeadlineSeconds(600L)
                    .withSuccessfulJobsHistoryLimit(3)
                    .withFailedJobsHistoryLimit(3)
                    .withNewJobTemplate()
                        .withNewMetadata()
                            .withLabels(labels("migrate"))
                        .endMetadata()
                        .withSpec(jobSpec(profile, "migrate", MIGRATE_DEADLINE_SECONDS, false, List.of()).build())
                    .endJobTemplate()
                .endSpec()
                .build();
    }

    /** The toolkit's labels for a role, e.g. {@code migrate}. */
    static Map<String, String> labels(String component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.NAME, NAME);
        labels.put(Labels.COMPONENT, component);
        labels.put(Labels.PART_OF, "learnflow");
        labels.put(Labels.MANAGED_BY, Labels.MANAGER);
        return labels;
    }

    /** Pod labels: the role's, and the NetworkPolicy's client label. */
    static Map<String, String> clientLabels(Map<String, String> labels) {
        Map<String, String> withClient = new LinkedHashMap<>(labels);
        withClient.put(Profile.CLIENT_LABEL, "true");
        return withClient;
    }

    private static Job job(Profile profile, String name, String component, JobSpec spec) {
        return new JobBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(profile.namespace())
                    .withLabels(labels(component))
                .endMetadata()
                .withSpec(spec)
                .build();
    }

    // Exit 2 (usage, bad input) fails the Job at once: a retry would fail the same way. A pod evicted or preempted
    // (DisruptionTarget) is retried without counting against the backoff limit.
    private static JobSpecBuilder jobSpec(Profile profile, String component, long deadline, boolean needsApi,
            List<Container> before) {
        return new JobSpecBuilder()
                .withBackoffLimit(BACKOFF_LIMIT)
                .withActiveDeadlineSeconds(deadline)
                .withNewPodFailurePolicy()
                    .addNewRule()
                        .withAction("FailJob")
                        .withNewOnExitCodes()
                            .withOperator("In")
                            .withValues(ExitCodes.USAGE)
                        .endOnExitCodes()
                    .endRule()
                    .addNewRule()
                        .withAction("Ignore")
                        .addNewOnPodCondition()
                            .withType("DisruptionTarget")
                            .withStatus("True")
                        .endOnPodCondition()
                    .endRule()
                .endPodFailurePolicy()
                .withTemplate(podTemplate(profile, component, needsApi, before));
    }

    // What automountServiceAccountToken would mount in every container, for one: a bound token that expires (the
    // kubelet renews it), the cluster's CA and the namespace, where in-cluster clients look for them.
    private static Volume apiAccessVolume() {
        return new VolumeBuilder()
                .withName(API_ACCESS)
                .withNewProjected()
                    .addNewSource()
                        .withNewServiceAccountToken().withPath("token").withExpirationSeconds(3607L)
                        .endServiceAccountToken()
                    .endSource()
                    .addNewSource()
                        .withNewConfigMap().withName("kube-root-ca.crt")
                            .addNewItem().withKey("ca.crt").withPath("ca.crt").endItem()
                        .endConfigMap()
                    .endSource()
                    .addNewSource()
                        .withNewDownwardAPI()
                            .addNewItem().withPath("namespace")
                                .withNewFieldRef().withApiVersion("v1").withFieldPath("metadata.namespace").endFieldRef()
                            .endItem()
                        .endDownwardAPI()
                    .endSource()
                .endProjected()
                .build();
    }

    private static PodTemplateSpec podTemplate(Profile profile, String component, boolean needsApi,
            List<Container> before) {
        List<Container> init = new ArrayList<>(before);
        List<Volume> volumes = new ArrayList<>(List.of(Restricted.tmpVolume()));
        if (needsApi) {
            volumes.add(apiAccessVolume());
        }
        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                    .withLabels(clientLabels(labels(component)))
                .endMetadata()
                .withNewSpec()
                    .withServiceAccountName(needsApi ? profile.toolkitName() : null)
                    .withAutomountServiceAccountToken(false)
                    .withEnableServiceLinks(false)
                    .withRestartPolicy("Never")
                    .withSecurityContext(Restricted.pod(Profile.TOOLKIT_UID))
                    .withInitContainers(init)
                    .withContainers(container(profile, "migrate",
                            List.of("migrate", "--wait", Long.toString(MIGRATE_WAIT_SECONDS)), true))
                    .withVolumes(volumes)
                .endSpec()
                .build();
    }

    /** The pgk8s image running {@code args}; with the app Secret's PG* variables when it connects to PostgreSQL. */
    static Container container(Profile profile, String name, List<String> args, boolean connects) {
        ContainerBuilder container = new ContainerBuilder()
                .withName(name)
                .withImage(profile.toolkitImage())
                .withImagePullPolicy("IfNotPresent")
                .withArgs(args)
                .withResources(Restricted.toolkitResources())
                .withSecurityContext(Restricted.container())
                .withVolumeMounts(Restricted.tmpMount());
        if (connects) {
            container.addNewEnvFrom()
                    .withNewSecretRef()
                        .withName(profile.appSecretName())
                    .endSecretRef()
                .endEnvFrom();
        }
        return container.build();
    }
}
