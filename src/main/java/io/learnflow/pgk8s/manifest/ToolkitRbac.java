package io.learnflow.pgk8s.manifest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.RoleRefBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.learnflow.pgk8s.profile.Profile;

/**
 * The toolkit's identity: a ServiceAccount, a Role in the database's namespace with exactly what {@code deploy},
 * {@code verify} and {@code connection} do there, and a ClusterRole for the one namespace object. No wildcard, no
 * delete of a claim.
 */
public final class ToolkitRbac {
    private static final String RBAC_GROUP = "rbac.authorization.k8s.io";

    private ToolkitRbac() {
    }

    public static ServiceAccount serviceAccount(Profile profile) {
        return new ServiceAccountBuilder()
                .withNewMetadata()
                    .withName(profile.toolkitName())
                    .withNamespace(profile.namespace())
                    .withLabels(Toolkit.labels("rbac"))
                .endMetadata()
                .build();
    }

    /**
     * Per resource, the verbs pgk8s sends: server-side apply is {@code patch}, and {@code create} as well when the
     * object is new; the rollout watch lists and watches; a forced profile switch deletes the StatefulSet, and a pod
     * stuck on an old revision is deleted.
     */
    public static Role role(Profile profile) {
        return new RoleBuilder()
                .withNewMetadata()
                    .withName(profile.toolkitName())
                    .withNamespace(profile.namespace())
                    .withLabels(Toolkit.labels("rbac"))
                .endMetadata()
                .withRules(rules(profile))
                .build();
    }

    static List<PolicyRule> rules(Profile profile) {
        Map<String, List<String>> core = new LinkedHashMap<>();
        core.put("secrets", List.of("get", "create", "patch"));
        core.put("configmaps", List.of("get", "create", "patch"));
        core.put("services", List.of("get", "create", "patch"));
        core.put("pods", List.of("get", "list", "watch"));
        core.put("events", List.of("list"));
        // Only to see whether a kept claim still holds a database, before new passwords are made.
        core.put("persistentvolumeclaims", List.of("get"));
        List<PolicyRule> rules = new java.util.ArrayList<>();
        core.forEach((resource, verbs) -> rules.add(rule("", resource, verbs)));
        // The one pod, when it is stuck on an old revision that the StatefulSet controller will not replace.
        rules.add(deleteByName("", "pods", profile.podName()));
        rules.add(rule("apps", "statefulsets", List.of("get", "list", "watch", "create", "patch")));
        // The one StatefulSet, for a forced profile switch.
        rules.add(deleteByName("apps", "statefulsets", profile.statefulSetName()));
        rules.add(rule("networking.k8s.io", "networkpolicies", List.of("get", "create", "patch")));
        rules.add(rule("discovery.k8s.io", "endpointslices", List.of("list")));
        return rules;
    }

    public static RoleBinding roleBinding(Profile profile) {
        return new RoleBindingBuilder()
                .withNewMetadata()
                    .withName(profile.toolkitName())
                    .withNamespace(profile.namespace())
                    .withLabels(Toolkit.labels("rbac"))
                .endMetadata()
                .withRoleRef(roleRef("Role", profile.toolkitName()))
                .withSubjects(serviceAccountSubject(profile))
                .build();
    }

    /**
     * Namespaces only: {@code create} (which RBAC cannot limit to a name), and get and patch of the one namespace,
     * by name, to keep its Pod Security labels. Leave it out when an administrator manages the namespace;
     * {@code deploy} then says so and goes on.
     */
    public static ClusterRole namespaceRole(Profile profile) {
        return new ClusterRoleBuilder()
                .withNewMetadata()
                    .withName(profile.namespaceRoleName())
                    .withLabels(Toolkit.labels("rbac"))
                .endMetadata()
                .withRules(
                        new PolicyRuleBuilder()
                                .withApiGroups("")
                                .withResources("namespaces")
                                .withVerbs("create")
                                .build(),
                        new PolicyRuleBuilder()
                                .withApiGroups("")
                                .withResources("namespaces")
                                .withResourceNames(profile.namespace())
                                .withVerbs("get", "patch")
                                .build())
                .build();
    }

    public static ClusterRoleBinding namespaceRoleBinding(Profile profile) {
        return new ClusterRoleBindingBuilder()
                .withNewMetadata()
                    .withName(profile.namespaceRoleName())
                    .withLabels(Toolkit.labels("rbac"))
                .endMetadata()
                .withRoleRef(roleRef("ClusterRole", profile.namespaceRoleName()))
                .withSubjects(serviceAccountSubject(profile))
                .build();
    }

    private static RoleRef roleRef(String kind, String name) {
        return new RoleRefBuilder().withApiGroup(RBAC_GROUP).withKind(kind).withName(name).build();
    }

    private static Subject serviceAccountSubject(Profile profile) {
        return new SubjectBuilder()
                .withKind("ServiceAccount")
                .withName(profile.toolkitName())
                .withNamespace(profile.namespace())
                .build();
    }

    private static PolicyRule rule(String group, String resource, List<String> verbs) {
        return new PolicyRuleBuilder().withApiGroups(group).withResources(resource).withVerbs(verbs).build();
    }

    private static PolicyRule deleteByName(String group, String resource, String name) {
        return new PolicyRuleBuilder().withApiGroups(group).withResources(resource).withResourceNames(name)
                .withVerbs("delete").build();
    }
}
