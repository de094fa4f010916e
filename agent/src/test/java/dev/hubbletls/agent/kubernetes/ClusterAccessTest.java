package dev.hubbletls.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterAccessTest {

    @TempDir
    Path dir;

    @Test
    void tokenAndServiceHost_isTheServiceAccount() throws IOException {
        Path account = Files.createDirectories(dir.resolve("serviceaccount"));
        Files.writeString(account.resolve("token"), "not-a-real-token");

        assertThat(ClusterAccess.find(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"), account,
                dir)).isInstanceOf(ClusterAccess.Credentials.ServiceAccount.class);
    }

    @Test
    void kubeconfigVariable_firstReadableFileWins() throws IOException {
        Path config = Files.writeString(dir.resolve("kind.yaml"), "apiVersion: v1\n");
        String listed = dir.resolve("missing.yaml") + ":" + config;

        assertThat(ClusterAccess.find(Map.of("KUBECONFIG", listed), dir.resolve("none"), dir))
                .isEqualTo(new ClusterAccess.Credentials.Kubeconfig(config));
    }

    @Test
    void homeKubeconfig_isUsedWithoutTheVariable() throws IOException {
        Path config = Files.createDirectories(dir.resolve(".kube")).resolve("config");
        Files.writeString(config, "apiVersion: v1\n");

        assertThat(ClusterAccess.find(Map.of(), dir.resolve("none"), dir))
                .isEqualTo(new ClusterAccess.Credentials.Kubeconfig(config));
    }

    @Test
    void neither_saysWhereItLooked() {
        ClusterAccess.Credentials none = ClusterAccess.find(
                Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"), dir.resolve("sa"), dir);

        assertThat(none).isInstanceOfSatisfying(ClusterAccess.Credentials.None.class,
                found -> assertThat(found.looked()).contains(dir.resolve("sa").toString(),
                        dir.resolve(".kube/config").toString()));
    }
}
