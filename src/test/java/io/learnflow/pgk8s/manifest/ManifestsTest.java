package io.learnflow.pgk8s.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.profile.Profile;

/** The builders' invariants, one assert helper per kind. */
class ManifestsTest {

    enum Which {
        DEV(Profile.DEV), PROD(Profile.PROD);

        final Profile profile;

        Which(Profile profile) {
            this.profile = profile;
        }
    }

    private static final Credentials ODD = new Credentials("p@ss:w/rd%?& 'x'", "su");

    private static List<HasMetadata> objects(Profile profile) throws IOException {
        return Manifests.build(profile, Optional.of(ODD), ManifestFilesTest.schema());
    }

    private static <T> T only(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).filter(o -> o.getMetadata().getName().equals(name))
                .map(type::cast).findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    @ParameterizedTest
    @EnumSource(Which.class)
    @DisplayName("the same profile renders byte-identical YAML, namespaced objects all in postgres")
    void deterministic(Which which) throws IOException {
        Profile p = which.profile;
        assertThat(ManifestText.yaml(objects(p))).isEqualTo(ManifestText.yaml(objects(p)));
        assertThat(objects(p)).filteredOn(o -> !(o instanceof io.fabric8.kubernetes.api.model.Namespace))
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(p.namespace()));
        assertThat(objects(p).get(0).getKind()).isEqualTo("Namespace");
        assertThat(objects(p).get(objects(p).size() - 1).getKind()).isEqualTo("StatefulSet");
    }

    @ParameterizedTest
    @EnumSource(Which.class)
    @DisplayName("the pod meets Pod Security restricted and runs as the image's uid 70")
    void restricted(Which which) throws IOException {
        PodSpec pod = only(objects(which.profile), StatefulSet.class, "postgres").getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(70L);
        assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(70L);
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(70L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        for (Container c : pod.getContainers()) {
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath())
                    .contains("/var/run/postgresql", "/tmp", "/dev/shm", StatefulSetManifest.DATA_MOUNT);
        }
        assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
    }

    @Test
    @DisplayName("dev: emptyDir, 512Mi and 500m; prod: a retained 10Gi claim, 2Gi and 1 CPU")
    void sizes() throws IOException {
        StatefulSet dev = only(objects(Profile.DEV), StatefulSet.class, "postgres");
        Container devContainer = dev.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(devContainer.getResources().getLimits()).hasToString("{cpu=500m, memory=512Mi}");
        assertThat(devContainer.getResources().getRequests()).isEqualTo(devContainer.getResources().getLimits());
        assertThat(dev.getSpec().getVolumeClaimTemplates()).isEmpty();
        assertThat(dev.getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(v -> {
                    assertThat(v.getName()).isEqualTo("data");
                    assertThat(v.getEmptyDir()).isNotNull();
                });

        StatefulSet prod = only(objects(Profile.PROD), StatefulSet.class, "postgres");
        Container prodContainer = prod.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(prodContainer.getResources().getLimits()).hasToString("{cpu=1, memory=2Gi}");
        assertThat(prod.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(claim -> {
            assertThat(claim.getMetadata().getName()).isEqualTo("data");
            assertThat(claim.getSpec().getResources().getRequests().get("storage")).hasToString("10Gi");
        });
        assertThat(prod.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
        assertThat(prod.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled()).isEqualTo("Retain");
        assertThat(prod.getSpec().getTemplate().getSpec().getVolumes()).noneMatch(v -> v.getName().equals("data"));
        for (StatefulSet s : List.of(dev, prod)) {
            assertThat(s.getSpec().getReplicas()).isEqualTo(1);
            assertThat(s.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .isEqualTo("postgres:16-alpine");
        }
    }

    @ParameterizedTest
    @EnumSource(Which.class)
    @DisplayName("selectors: the StatefulSet, both Services and the NetworkPolicy select the pod's labels")
    void selectorsMatchThePod(Which which) throws IOException {
        Profile p = which.profile;
        List<HasMetadata> objects = objects(p);
        StatefulSet sts = only(objects, StatefulSet.class, p.statefulSetName());
        var podLabels = sts.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(sts.getSpec().getSelector().getMatchLabels());
        assertThat(sts.getSpec().getServiceName()).isEqualTo(p.headlessServiceName());
        Container container = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
        for (String name : List.of(p.serviceName(), p.headlessServiceName())) {
            Service service = only(objects, Service.class, name);
            assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
            assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
                assertThat(port.getPort()).isEqualTo(5432);
                assertThat(container.getPorts()).anyMatch(c -> c.getName().equals(port.getTargetPort().getStrVal())
                        && c.getContainerPort() == 5432);
            });
        }
        assertThat(only(objects, Service.class, p.serviceName()).getSpec().getClusterIP()).isNull();
        assertThat(only(objects, Service.class, p.headlessServiceName()).getSpec().getClusterIP()).isEqualTo("None");

        NetworkPolicy policy = only(objects, NetworkPolicy.class, p.networkPolicyName());
        assertThat(podLabels).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getPorts()).singleElement().satisfies(port -> assertThat(port.getPort().getIntVal()).isEqualTo(5432));
            assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
                assertThat(peer.getNamespaceSelector().getMatchLabels()).isNullOrEmpty();
                assertThat(peer.getPodSelector().getMatchLabels()).containsExactly(
                        java.util.Map.entry(Profile.CLIENT_LABEL, "true"));
            });
        });
    }

    @Test
    @DisplayName("Secrets: the image superuser is postgres; services get learnflow_user with URIs percent-encoded")
    void secrets() throws IOException {
        Profile p = Profile.PROD;
        List<HasMetadata> objects = objects(p);
        Secret superuser = only(objects, Secret.class, p.superuserSecretName());
        assertThat(SecretManifests.value(superuser, "username")).isEqualTo("postgres");
        assertThat(superuser.getType()).isEqualTo("kubernetes.io/basic-auth");
        Secret credentials = only(objects, Secret.class, p.credentialsSecretName());
        assertThat(credentials.getData().keySet()).containsExactly("POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB");
        assertThat(SecretManifests.value(credentials, "POSTGRES_USER")).isEqualTo("learnflow_user");
        assertThat(SecretManifests.value(credentials, "POSTGRES_PASSWORD")).isEqualTo(ODD.appPassword());

        Secret app = only(objects, Secret.class, p.appSecretName());
        assertThat(app.getData().keySet()).contains("host", "port", "dbname", "user", "password", "uri", "jdbc-uri",
                "PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD");
        assertThat(SecretManifests.value(app, "host")).isEqualTo("postgres.postgres.svc.cluster.local");
        assertThat(SecretManifests.value(app, "PGPASSWORD")).isEqualTo(ODD.appPassword());
        String uri = SecretManifests.value(app, "uri");
        assertThat(uri).startsWith("postgresql://learnflow_user:p%40ss%3Aw%2Frd%25%3F%26")
                .endsWith("@postgres.postgres.svc.cluster.local:5432/learnflow").doesNotContain(ODD.appPassword());
        assertThat(SecretManifests.value(app, "jdbc-uri")).startsWith("jdbc:postgresql://postgres.postgres.svc.cluster.local:5432/learnflow?")
                .doesNotContain(ODD.appPassword());
        assertThat(uri).isEqualTo(new ConnectionSettings(p.serviceHost(), 5432, "learnflow", "learnflow_user",
                ODD.appPassword()).uri());
    }

    @Test
    @DisplayName("the StatefulSet reads every Secret key it names, and the init script's variables exist")
    void envMatchesSecretsAndScript() throws IOException {
        Profile p = Profile.DEV;
        List<HasMetadata> objects = objects(p);
        List<EnvVar> env = only(objects, StatefulSet.class, "postgres").getSpec().getTemplate().getSpec()
                .getContainers().get(0).getEnv();
        for (EnvVar var : env) {
            if (var.getValueFrom() != null) {
                var ref = var.getValueFrom().getSecretKeyRef();
                assertThat(only(objects, Secret.class, ref.getName()).getData()).containsKey(ref.getKey());
            }
        }
        assertThat(env).filteredOn(v -> v.getName().equals("POSTGRES_USER")).singleElement()
                .satisfies(v -> assertThat(v.getValue()).isEqualTo("postgres"));
        assertThat(env).filteredOn(v -> v.getName().equals("POSTGRES_INITDB_ARGS")).singleElement()
                .as("no trust over TCP, not even from 127.0.0.1 (kubectl port-forward)")
                .satisfies(v -> assertThat(v.getValue()).contains("--auth-host=scram-sha-256"));
        assertThat(env).filteredOn(v -> v.getName().equals("PGDATA")).singleElement()
                .satisfies(v -> assertThat(v.getValue()).startsWith(StatefulSetManifest.DATA_MOUNT + "/"));
        String script = only(objects, io.fabric8.kubernetes.api.model.ConfigMap.class, p.initConfigMapName()).getData()
                .get(InitScriptsConfigMap.SCRIPT_KEY);
        Set<String> names = env.stream().map(EnvVar::getName).collect(Collectors.toSet());
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("\\$([A-Z_]+)").matcher(script);
        while (used.find()) {
            assertThat(names).as("the script reads $%s", used.group(1)).contains(used.group(1));
        }
        assertThat(script).contains("NOSUPERUSER", "OWNER TO");
    }

    @Test
    @DisplayName("the ConfigMap holds migrations/001 as it is, mounted where the image does not run it as superuser")
    void initialSchemaIsTheMigration() throws IOException {
        Profile p = Profile.DEV;
        var configMap = only(objects(p), io.fabric8.kubernetes.api.model.ConfigMap.class, "postgres-init-schema");
        assertThat(configMap.getData().get(InitScriptsConfigMap.SCHEMA_KEY)).isEqualTo(ManifestFilesTest.schema());
        var volume = only(objects(p), StatefulSet.class, "postgres").getSpec().getTemplate().getSpec().getVolumes()
                .stream().filter(v -> v.getConfigMap() != null).findFirst().orElseThrow();
        assertThat(volume.getConfigMap().getItems()).extracting(i -> i.getPath())
                .containsExactly(InitScriptsConfigMap.SCRIPT_KEY, "schema/" + InitScriptsConfigMap.SCHEMA_KEY);
    }

    @Test
    @DisplayName("probes use pg_isready over TCP; liveness tolerates a server that rejects while recovering")
    void probes() throws IOException {
        Container c = only(objects(Profile.DEV), StatefulSet.class, "postgres").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertThat(c.getReadinessProbe().getExec().getCommand()).contains("pg_isready", "--host=127.0.0.1",
                "--username=learnflow_user", "--dbname=learnflow");
        assertThat(c.getStartupProbe().getExec().getCommand()).isEqualTo(c.getReadinessProbe().getExec().getCommand());
        assertThat(c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold())
                .as("seconds of first boot or crash recovery before a restart").isGreaterThanOrEqualTo(1800);
        assertThat(String.join(" ", c.getLivenessProbe().getExec().getCommand())).contains("pg_isready")
                .endsWith("test $? -le 1");
    }

    @Test
    @DisplayName("a render of prod holds no Secret, so no prod password reaches a file")
    void prodRenderHasNoSecret() throws IOException {
        assertThat(Manifests.forRender(Profile.PROD, ManifestFilesTest.schema())).noneMatch(Secret.class::isInstance);
        assertThat(Manifests.forRender(Profile.DEV, ManifestFilesTest.schema())).filteredOn(Secret.class::isInstance)
                .hasSize(3);
    }

    @Test
    @DisplayName("generated passwords: 43 URL-safe characters from SecureRandom, different each time")
    void generatedPasswords() {
        Credentials a = Credentials.generate(new SecureRandom());
        Credentials b = Credentials.generate(new SecureRandom());
        for (String pw : List.of(a.appPassword(), a.superuserPassword(), b.appPassword())) {
            assertThat(pw).hasSizeGreaterThanOrEqualTo(32).matches("[A-Za-z0-9_-]+");
        }
        assertThat(a.appPassword()).isNotEqualTo(a.superuserPassword()).isNotEqualTo(b.appPassword());
        assertThat(a.toString()).doesNotContain(a.appPassword());
    }

    @Test
    @DisplayName("an unknown profile is exit 2 and names the known ones")
    void unknownProfile() {
        assertThatThrownBy(() -> Profile.named("staging")).isInstanceOf(Pgk8sException.class)
                .hasMessage("unknown profile 'staging', use dev or prod")
                .extracting(e -> ((Pgk8sException) e).exitCode()).isEqualTo(2);
        assertThat(Profile.named(" PROD ")).isEqualTo(Profile.PROD);
    }

    @Test
    @DisplayName("the image override changes only the image")
    void imageOverride() throws IOException {
        Profile local = Profile.DEV.withImage("localhost/pgk8s/postgres:16");
        String before = ManifestText.yaml(objects(Profile.DEV));
        String after = ManifestText.yaml(objects(local));
        assertThat(after).isEqualTo(before.replace("postgres:16-alpine", "localhost/pgk8s/postgres:16"));
        assertThat(after).isNotEqualTo(before);
    }
}
