package dev.hubbletls.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.demo.ClusterPki;
import dev.hubbletls.agent.demo.ProjectedVolume;
import dev.hubbletls.agent.testing.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MaterialLoaderTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(KeyKind.class)
    void projectedVolumeAsInstallersWriteIt_loadsAMatchingIdentity(KeyKind kind)
            throws Exception {
        ClusterPki pki = ClusterPki.mint("default", kind, TestPki.NOW);
        ProjectedVolume volume = new ProjectedVolume(dir, TestPki.CLOCK);
        volume.publish(pki.relayClientFiles());

        ClientMaterial material = MaterialLoader.load(TlsFiles.relayLayout(dir));

        assertThat(material.problems()).isEmpty();
        assertThat(material.complete()).isTrue();
        assertThat(material.identity()).get()
                .extracting(ClientIdentity::certificate).isEqualTo(pki.relayClient().certificate());
        assertThat(material.trustBundle()).containsExactly(pki.ca().certificate());
    }

    @Test
    void loadDuringKubeletSwaps_neverMixesTwoGenerations() throws Exception {
        ClusterPki first = ClusterPki.mint("default", KeyKind.EC_P256, TestPki.NOW);
        ClusterPki second = ClusterPki.mint("default", KeyKind.EC_P256, TestPki.NOW);
        ProjectedVolume volume = new ProjectedVolume(dir, TestPki.CLOCK);
        volume.publish(first.relayClientFiles());
        // Kubelet swaps far less often than the agent reads: at most one swap per load,
        // started as a load ends, so that it lands in the middle of the next one.
        Semaphore loadsDone = new Semaphore(0);
        AtomicBoolean loading = new AtomicBoolean(true);
        CompletableFuture<Integer> swaps = CompletableFuture.supplyAsync(() -> {
            int published = 0;
            try {
                while (loadsDone.tryAcquire(5, TimeUnit.SECONDS) && loading.get()) {
                    loadsDone.drainPermits();
                    volume.publish((published++ % 2 == 0 ? second : first).relayClientFiles());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return published;
        });

        try {
            for (int i = 0; i < 300; i++) {
                ClientMaterial material = MaterialLoader.load(TlsFiles.relayLayout(dir));
                assertThat(material.problems()).extracting(Throwable::getMessage).isEmpty();
                assertThat(material.identity()).isPresent();
                loadsDone.release();
            }
        } finally {
            loading.set(false);
            loadsDone.release();
        }

        assertThat(swaps.join()).isGreaterThan(100);
    }

    @Test
    void keyOfAnotherCertificate_isKeyMismatch_andKeepsTheChain() throws Exception {
        IssuedCertificate ca = TestPki.ca("Cilium CA", -1, 1000);
        IssuedCertificate client = TestPki.leaf("client", ca, -1, 300);
        IssuedCertificate other = TestPki.leaf("client", ca, -1, 300);
        TlsFiles files = TestPki.write(dir, client, KeyFormat.SEC1, List.of(ca.certificate()));
        Files.writeString(files.key(), PemWriter.privateKey(other.privateKey(), KeyFormat.PKCS8));

        ClientMaterial material = MaterialLoader.load(files);

        assertThat(material.identity()).isEmpty();
        assertThat(material.clientChain()).containsExactly(client.certificate());
        assertThat(material.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.problem()).isEqualTo(MaterialProblem.KEY_MISMATCH);
            assertThat(problem.file()).isEqualTo(files.key());
            assertThat(problem).hasMessageContaining("does not belong to the certificate CN=client")
                    .hasMessageContaining(files.certificate().toString());
        });
    }

    @Test
    void keyOfAnotherAlgorithm_isKeyMismatch() throws Exception {
        IssuedCertificate ca = TestPki.ca("Cilium CA", -1, 1000);
        IssuedCertificate client = TestPki.leaf("client", ca, -1, 300);
        IssuedCertificate rsa = CertificateMint.issue(TestPki.spec("rsa", -1, 300)
                .withKeyKind(KeyKind.RSA_2048), ca);

        assertThat(MaterialLoader.belongsTo(rsa.privateKey(), client.certificate())).isFalse();
        assertThat(MaterialLoader.belongsTo(client.privateKey(), client.certificate())).isTrue();
    }

    @Test
    void onlyTheKeyPresent_reportsBothMissingPaths_andNeverThrows() throws Exception {
        IssuedCertificate ca = TestPki.ca("Cilium CA", -1, 1000);
        IssuedCertificate client = TestPki.leaf("client", ca, -1, 300);
        TlsFiles files = TestPki.write(dir, client, KeyFormat.PKCS8, List.of(ca.certificate()));
        Files.delete(files.certificate());
        Files.delete(files.ca());

        ClientMaterial material = MaterialLoader.load(files);

        assertThat(material.identity()).isEmpty();
        assertThat(material.problems()).extracting(MaterialException::file)
                .containsExactly(files.certificate(), files.ca());
        assertThat(material.problems()).extracting(MaterialException::problem)
                .containsOnly(MaterialProblem.MISSING);
    }

    @Test
    void toString_showsSubjectsButNeverTheKey() throws Exception {
        ClusterPki pki = ClusterPki.mint("default", KeyKind.EC_P256, TestPki.NOW);
        new ProjectedVolume(dir, TestPki.CLOCK).publish(pki.relayClientFiles());

        ClientMaterial material = MaterialLoader.load(TlsFiles.relayLayout(dir));
        String keyPem = new String(pki.relayClientFiles().get(ClusterPki.CLIENT_KEY),
                StandardCharsets.US_ASCII);

        assertThat(material.toString()).contains("*.hubble-relay.cilium.io")
                .contains("(hidden)")
                .doesNotContain(keyPem.lines().skip(1).findFirst().orElseThrow())
                .doesNotContain(material.identity().orElseThrow().key().toString());
    }
}
