package dev.hubbletls.agent.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the agent reaches the API server: in a pod with its service account, elsewhere with
 * a kubeconfig, or not at all. Every request is bounded by a timeout and not retried, so
 * that a slow API server costs the agent a bounded wait on its own threads.
 */
public final class ClusterAccess {

    /** Where kubelet mounts the service account's token. */
    public static final Path SERVICE_ACCOUNT =
            Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private ClusterAccess() {
    }

    /** How the API server can be reached, or why it cannot. */
    public sealed interface Credentials {

        /** The pod's service account. */
        record ServiceAccount() implements Credentials {
        }

        /**
         * A kubeconfig file.
         *
         * @param file the first file that exists
         */
        record Kubeconfig(Path file) implements Credentials {
        }

        /**
         * Neither.
         *
         * @param looked where the agent looked, for the log line
         */
        record None(String looked) implements Credentials {
        }
    }

    /**
     * Finds credentials the way kubectl and client-go do: a service account when running in
     * a pod ($KUBERNETES_SERVICE_HOST and a token), else $KUBECONFIG's files, else
     * ~/.kube/config.
     */
    public static Credentials find(Map<String, String> environment, Path serviceAccount,
                                   Path home) {
        if (!environment.getOrDefault("KUBERNETES_SERVICE_HOST", "").isBlank()
                && Files.isReadable(serviceAccount.resolve("token"))) {
            return new Credentials.ServiceAccount();
        }
        String listed = environment.getOrDefault("KUBECONFIG", "");
        List<Path> candidates = listed.isBlank() ? List.of(home.resolve(".kube/config"))
                : Arrays.stream(listed.split(File.pathSeparator)).map(Path::of).toList();
        Optional<Path> kubeconfig = candidates.stream().filter(Files::isReadable).findFirst();
        if (kubeconfig.isPresent()) {
            return new Credentials.Kubeconfig(kubeconfig.get());
        }
        return new Credentials.None("no service account token in " + serviceAccount
                + " with $KUBERNETES_SERVICE_HOST set, and no kubeconfig at " + candidates);
    }

    /** A client for the credentials found; fabric8 reads them the same way. */
    public static KubernetesClient connect() {
        Config config = new ConfigBuilder(Config.autoConfigure(null))
                .withRequestTimeout((int) REQUEST_TIMEOUT.toMillis())
                .withConnectionTimeout((int) CONNECT_TIMEOUT.toMillis())
                .withRequestRetryBackoffLimit(0)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
