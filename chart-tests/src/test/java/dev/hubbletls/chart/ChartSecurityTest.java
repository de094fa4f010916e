package dev.hubbletls.chart;

import static dev.hubbletls.chart.ChartRendering.GROUP_ID;
import static dev.hubbletls.chart.ChartRendering.render;
import static dev.hubbletls.chart.ChartRendering.renderFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Least privilege: non-root with the socket's group, or root only when asked for. */
class ChartSecurityTest {

    private static final String RUN_AS_ROOT = "hubbleSocket:\n  runAsRoot: true\n";

    @Test
    void byDefault_podRunsNonRootWithTheSocketGroup() {
        PodSecurityContext pod = render(GROUP_ID).podSpec().getSecurityContext();

        assertThat(pod.getRunAsNonRoot()).isTrue();
        assertThat(pod.getRunAsUser()).isEqualTo(65532L);
        assertThat(pod.getRunAsGroup()).isEqualTo(65532L);
        assertThat(pod.getFsGroup()).isEqualTo(65532L);
        assertThat(pod.getSupplementalGroups()).containsExactly(1000L);
        assertThat(pod.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    }

    @Test
    void groupIdZero_isAValueNotAMissingOne() {
        PodSecurityContext pod = render("hubbleSocket:\n  groupId: 0\n").podSpec()
                .getSecurityContext();

        assertThat(pod.getSupplementalGroups()).containsExactly(0L);
        assertThat(pod.getRunAsUser()).isEqualTo(65532L);
    }

    @Test
    void missingGroupId_failsTheRenderWithTheRemedy() {
        String error = renderFailure("{}");

        assertThat(error)
                .contains("hubbleSocket.groupId is required")
                .contains("kubectl -n kube-system exec ds/cilium -c cilium-agent -- stat "
                        + "/var/run/cilium/hubble.sock")
                .contains("--set hubbleSocket.groupId=<gid>")
                .contains("hubbleSocket.runAsRoot=true")
                .doesNotContain("MISSING");
    }

    @Test
    void runAsRoot_runsAsUidZeroWithoutTheGroup() {
        PodSecurityContext pod = render(RUN_AS_ROOT).podSpec().getSecurityContext();

        assertThat(pod.getRunAsUser()).isZero();
        assertThat(pod.getRunAsGroup()).isZero();
        assertThat(pod.getRunAsNonRoot()).isFalse();
        assertThat(pod.getSupplementalGroups()).isNullOrEmpty();
        assertThat(pod.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    }

    @ParameterizedTest
    @MethodSource("dev.hubbletls.chart.ChartRendering#variants")
    void everyVariant_containerHasNoPrivilege(String values) {
        RenderedChart chart = render(values);
        SecurityContext container = chart.agent().getSecurityContext();

        assertThat(container.getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getPrivileged()).isFalse();
        assertThat(container.getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(container.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        PodSpec pod = chart.podSpec();
        assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getInitContainers()).isNullOrEmpty();
    }
}
