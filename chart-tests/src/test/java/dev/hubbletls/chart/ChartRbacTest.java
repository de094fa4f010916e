package dev.hubbletls.chart;

import static dev.hubbletls.chart.ChartRendering.FULLNAME;
import static dev.hubbletls.chart.ChartRendering.GROUP_ID;
import static dev.hubbletls.chart.ChartRendering.NAMESPACE;
import static dev.hubbletls.chart.ChartRendering.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The agent may get its Node, get cilium-config by name, write Events; nothing else. */
class ChartRbacTest {

    private static final Subject AGENT = new Subject(
            null, "ServiceAccount", FULLNAME, NAMESPACE);

    @Test
    void clusterRole_getsNodesOnly() {
        RenderedChart chart = render(GROUP_ID);

        assertThat(chart.all(ClusterRole.class)).singleElement()
                .extracting(ClusterRole::getRules)
                .isEqualTo(List.of(rule("", "nodes", List.of(), "get")));
        ClusterRoleBinding binding = chart.get(ClusterRoleBinding.class, FULLNAME);
        assertThat(binding.getRoleRef().getName()).isEqualTo(FULLNAME);
        assertThat(binding.getSubjects()).containsExactly(AGENT);
    }

    @Test
    void ciliumConfigRole_getsThatConfigMapByNameInItsNamespace() {
        RenderedChart chart = render(GROUP_ID);

        Role role = chart.get(Role.class, FULLNAME + "-cilium-config");
        assertThat(role.getMetadata().getNamespace()).isEqualTo("kube-system");
        assertThat(role.getRules()).containsExactly(
                rule("", "configmaps", List.of("cilium-config"), "get"));
        RoleBinding binding = chart.get(RoleBinding.class, FULLNAME + "-cilium-config");
        assertThat(binding.getMetadata().getNamespace()).isEqualTo("kube-system");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).containsExactly(AGENT);
    }

    @Test
    void eventsRole_createsAndPatchesEventsInTheReleaseNamespace() {
        RenderedChart chart = render(GROUP_ID);

        Role role = chart.get(Role.class, FULLNAME + "-events");
        assertThat(role.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(role.getRules()).containsExactly(new PolicyRuleBuilder()
                .withApiGroups("", "events.k8s.io")
                .withResources("events")
                .withVerbs("create", "patch")
                .build());
        assertThat(chart.get(RoleBinding.class, FULLNAME + "-events").getSubjects())
                .containsExactly(AGENT);
    }

    @Test
    void rbacObjects_areExactlyTheseAndNeverTouchSecrets() {
        RenderedChart chart = render(GROUP_ID);

        assertThat(rbacObjects(chart)).extracting(object ->
                        object.getKind() + "/" + object.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        "ClusterRole/" + FULLNAME,
                        "ClusterRoleBinding/" + FULLNAME,
                        "Role/" + FULLNAME + "-cilium-config",
                        "RoleBinding/" + FULLNAME + "-cilium-config",
                        "Role/" + FULLNAME + "-events",
                        "RoleBinding/" + FULLNAME + "-events");
        assertThat(allRules(chart)).allSatisfy(rule -> {
            assertThat(rule.getResources()).doesNotContain("secrets", "*");
            assertThat(rule.getVerbs()).doesNotContain("*", "list", "watch", "delete", "update");
            assertThat(rule.getApiGroups()).doesNotContain("*");
        });
    }

    @Test
    void ciliumConfigElsewhere_isGrantedWhereItLives() {
        RenderedChart chart = render(GROUP_ID + """
                config:
                  kubernetes:
                    ciliumConfigNamespace: cilium
                    ciliumConfigName: cilium-config-custom
                """);

        Role role = chart.get(Role.class, FULLNAME + "-cilium-config");
        assertThat(role.getMetadata().getNamespace()).isEqualTo("cilium");
        assertThat(role.getRules()).containsExactly(
                rule("", "configmaps", List.of("cilium-config-custom"), "get"));
        assertThat(chart.configSection("kubernetes"))
                .containsEntry("cilium-config-namespace", "cilium")
                .containsEntry("cilium-config-name", "cilium-config-custom");
    }

    @Test
    void eventsOff_dropsTheEventsRole() {
        RenderedChart chart = render(GROUP_ID + "config:\n  kubernetes:\n    events: false\n");

        assertThat(chart.find(Role.class, FULLNAME + "-events")).isEmpty();
        assertThat(chart.find(RoleBinding.class, FULLNAME + "-events")).isEmpty();
        assertThat(chart.configSection("kubernetes")).containsEntry("events", false);
    }

    @Test
    void kubernetesOff_grantsNothingAndMountsNoToken() {
        RenderedChart chart = render(GROUP_ID + "config:\n  kubernetes:\n    enabled: false\n");

        assertThat(rbacObjects(chart)).isEmpty();
        assertThat(chart.podSpec().getAutomountServiceAccountToken()).isFalse();
    }

    private static PolicyRule rule(String group, String resource, List<String> names,
            String... verbs) {
        return new PolicyRuleBuilder()
                .withApiGroups(group)
                .withResources(resource)
                .withResourceNames(names)
                .withVerbs(verbs)
                .build();
    }

    private static List<HasMetadata> rbacObjects(RenderedChart chart) {
        return chart.objects().stream()
                .filter(object -> object.getApiVersion().startsWith("rbac.authorization.k8s.io/"))
                .toList();
    }

    private static List<PolicyRule> allRules(RenderedChart chart) {
        return Stream.concat(
                        chart.all(ClusterRole.class).stream().flatMap(role -> role.getRules().stream()),
                        chart.all(Role.class).stream().flatMap(role -> role.getRules().stream()))
                .toList();
    }
}
