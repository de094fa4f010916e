package dev.hubbletls.agent.tls;

import static dev.hubbletls.agent.testing.TestPki.writeText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hubbletls.agent.demo.ProjectedVolume;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PemReaderTest {

    private static final String EC_PARAMETERS_P256 = "-----BEGIN EC PARAMETERS-----\n"
            + "BggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";

    private static IssuedCertificate ca;
    private static IssuedCertificate rsa;
    private static IssuedCertificate ec;
    private static IssuedCertificate ed25519;

    @TempDir
    Path dir;

    @BeforeAll
    static void mint() {
        ca = TestPki.ca("Cilium CA", -10, 1000);
        rsa = CertificateMint.issue(TestPki.spec("rsa", -1, 300).withKeyKind(KeyKind.RSA_2048), ca);
        ec = TestPki.leaf("ec", ca, -1, 300);
        ed25519 = CertificateMint.issue(TestPki.spec("ed", -1, 300)
                .withKeyKind(KeyKind.ED25519), ca);
    }

    static Stream<Arguments> keyFormats() {
        return Stream.of(
                Arguments.of("RSA", KeyFormat.PKCS1, "-----BEGIN RSA PRIVATE KEY-----"),
                Arguments.of("RSA", KeyFormat.PKCS8, "-----BEGIN PRIVATE KEY-----"),
                Arguments.of("EC", KeyFormat.SEC1, "-----BEGIN EC PRIVATE KEY-----"),
                Arguments.of("EC", KeyFormat.PKCS8, "-----BEGIN PRIVATE KEY-----"),
                Arguments.of("Ed25519", KeyFormat.PKCS8, "-----BEGIN PRIVATE KEY-----"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("keyFormats")
    void privateKey_everyInstallerFormat_readsTheKeyOfItsCertificate(String kind,
                                                                      KeyFormat format,
                                                                      String header)
            throws Exception {
        IssuedCertificate issued = issued(kind);
        String pem = PemWriter.privateKey(issued.privateKey(), format);
        writeText(dir.resolve("client.key"), pem);

        PrivateKey key = PemReader.privateKey(dir.resolve("client.key"));

        assertThat(pem).startsWith(header);
        assertThat(MaterialLoader.belongsTo(key, issued.certificate())).isTrue();
    }

    @Test
    void privateKey_sec1AfterEcParametersBlock_isRead() throws Exception {
        writeText(dir.resolve("client.key"), EC_PARAMETERS_P256
                + PemWriter.privateKey(ec.privateKey(), KeyFormat.SEC1));

        PrivateKey key = PemReader.privateKey(dir.resolve("client.key"));

        assertThat(MaterialLoader.belongsTo(key, ec.certificate())).isTrue();
    }

    @Test
    void privateKey_sec1WithoutItsCurve_isWrongContent() throws Exception {
        byte[] bare = PrivateKeyInfo
                .getInstance(ec.privateKey().getEncoded()).parsePrivateKey()
                .toASN1Primitive().getEncoded();
        writeText(dir.resolve("client.key"), "-----BEGIN EC PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(bare)
                + "\n-----END EC PRIVATE KEY-----\n");

        MaterialException e = keyProblem(dir.resolve("client.key"));

        assertThat(e.problem()).isEqualTo(MaterialProblem.WRONG_CONTENT);
        assertThat(e).hasMessageContaining("does not name its curve");
    }

    @Test
    void certificates_chainInOneFile_readInOrder() throws Exception {
        IssuedCertificate intermediate = CertificateMint.issue(CertificateSpec.authority(
                "Intermediate", TestPki.days(-5), TestPki.DAY.multipliedBy(400))
                .withKeyKind(KeyKind.EC_P256), ca);
        IssuedCertificate leaf = TestPki.leaf("leaf", intermediate, -1, 100);
        writeText(dir.resolve("client.crt"), PemWriter.certificates(leaf.withChain()));

        List<X509Certificate> chain = PemReader.certificates(dir.resolve("client.crt"));

        assertThat(chain).containsExactly(leaf.certificate(), intermediate.certificate(),
                ca.certificate());
    }

    @Test
    void certificates_bundleOfTwentyCas_readsAll() throws Exception {
        List<X509Certificate> cas = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            cas.add(TestPki.ca("CA " + i, -1, 100).certificate());
        }
        writeText(dir.resolve("ca.crt"), PemWriter.certificates(cas));

        assertThat(PemReader.certificates(dir.resolve("ca.crt"))).containsExactlyElementsOf(cas);
    }

    @Test
    void certificates_throughProjectedVolumeSymlinks_areRead() throws Exception {
        ProjectedVolume volume = new ProjectedVolume(dir.resolve("tls"), TestPki.CLOCK);
        volume.publish(Map.of("ca.crt", PemWriter.certificates(List.of(ca.certificate()))
                .getBytes(StandardCharsets.US_ASCII)));

        Path visible = dir.resolve("tls/ca.crt");

        assertThat(Files.isSymbolicLink(visible)).isTrue();
        assertThat(PemReader.certificates(visible)).containsExactly(ca.certificate());
    }

    @Test
    void missingFile_isMissing_andNamesThePath() {
        Path file = dir.resolve("client.crt");

        MaterialException e = certificateProblem(file);

        assertThat(e.problem()).isEqualTo(MaterialProblem.MISSING);
        assertThat(e.reason()).isEqualTo(Reason.FILE_MISSING);
        assertThat(e.file()).isEqualTo(file);
        assertThat(e).hasMessageContaining(file + " does not exist");
    }

    @Test
    void missingFile_namesWhatTheDirectoryHolds_leavingHiddenEntriesOut() throws Exception {
        for (String name : List.of("tls.key", "ca.crt", "tls.crt", "..data")) {
            Files.writeString(dir.resolve(name), "");
        }

        MaterialException e = certificateProblem(dir.resolve("client.crt"));

        assertThat(e).hasMessageEndingWith("to this file name; the directory holds ca.crt,"
                + " tls.crt, tls.key");
    }

    @Test
    void danglingSymlink_isMissing_andNamesItsTarget() throws Exception {
        Path file = dir.resolve("client.crt");
        Files.createSymbolicLink(file, Path.of("..data/client.crt"));

        MaterialException e = certificateProblem(file);

        assertThat(e.problem()).isEqualTo(MaterialProblem.MISSING);
        assertThat(e).hasMessageContaining("symlink to ..data/client.crt");
    }

    @Test
    void symlinkToItself_isNamedASymlinkLoop() throws Exception {
        Path file = dir.resolve("client.key");
        Files.createSymbolicLink(file, Path.of("client.key"));

        MaterialException e = catchThrowableOfType(MaterialException.class,
                () -> PemReader.privateKey(file));

        assertThat(e.file()).isEqualTo(file);
        assertThat(e).hasMessageContaining("symlink loop")
                .hasMessageNotContaining("does not exist");
    }

    @Test
    void twoSymlinksPointingAtEachOther_isNamedASymlinkLoop_withTheCycle() throws Exception {
        Path file = dir.resolve("client.key");
        Files.createSymbolicLink(dir.resolve("b"), Path.of("client.key"));
        Files.createSymbolicLink(file, Path.of("b"));

        MaterialException e = catchThrowableOfType(MaterialException.class,
                () -> PemReader.privateKey(file));

        assertThat(e).hasMessageContaining("symlink loop")
                .hasMessageContaining("client.key -> b -> client.key");
    }

    @Test
    void fifoInsteadOfKey_isRefusedWithoutOpening() throws Exception {
        Path fifo = dir.resolve("client.key");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();

        // Opening a FIFO with no writer would block this thread for good.
        MaterialException e = catchThrowableOfType(MaterialException.class,
                () -> PemReader.privateKey(fifo));

        assertThat(e.problem()).isEqualTo(MaterialProblem.UNREADABLE);
        assertThat(e).hasMessageContaining("not a regular file");
    }

    @Test
    void directoryInsteadOfFile_isUnreadable() throws Exception {
        Path file = Files.createDirectory(dir.resolve("client.crt"));

        MaterialException e = certificateProblem(file);

        assertThat(e.problem()).isEqualTo(MaterialProblem.UNREADABLE);
        assertThat(e.reason()).isEqualTo(Reason.FILE_UNREADABLE);
        assertThat(e).hasMessageContaining("is a directory");
    }

    @Test
    void emptyFile_isEmpty() throws Exception {
        Path file = Files.createFile(dir.resolve("client.crt"));

        MaterialException e = certificateProblem(file);

        assertThat(e.problem()).isEqualTo(MaterialProblem.EMPTY);
        assertThat(e.reason()).isEqualTo(Reason.FILE_EMPTY);
    }

    @Test
    void whitespaceOnlyFile_isEmpty() throws Exception {
        Path file = dir.resolve("client.key");
        writeText(file, "\n  \n");

        MaterialException e = keyProblem(file);

        assertThat(e.problem()).isEqualTo(MaterialProblem.EMPTY);
    }

    @Test
    void twoMebibyteFile_isRefusedUnread() throws Exception {
        Path file = dir.resolve("ca.crt");
        Files.write(file, new byte[2 * 1024 * 1024]);

        MaterialException e = certificateProblem(file);

        assertThat(e.problem()).isEqualTo(MaterialProblem.TOO_LARGE);
        assertThat(e).hasMessageContaining("2097152 bytes");
    }

    @Test
    void binaryGarbage_isNotPem() throws Exception {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        garbage[0] = 0x01;
        Path file = dir.resolve("client.crt");
        Files.write(file, garbage);

        MaterialException e = certificateProblem(file);

        assertThat(e.problem()).isEqualTo(MaterialProblem.NOT_PEM);
        assertThat(e.reason()).isEqualTo(Reason.UNREADABLE_PEM);
        assertThat(e).hasMessageContaining("no PEM block");
    }

    @Test
    void derCertificate_isNotPem_withConversionHint() throws Exception {
        Path file = dir.resolve("client.crt");
        Files.write(file, ca.certificate().getEncoded());

        MaterialException e = certificateProblem(file);

        assertThat(e.problem()).isEqualTo(MaterialProblem.NOT_PEM);
        assertThat(e).hasMessageContaining("openssl x509 -inform der");
    }

    @Test
    void pemCutOffBeforeItsEndLine_isNotPem() throws Exception {
        String pem = PemWriter.certificates(List.of(ca.certificate()));
        Path file = dir.resolve("client.crt");
        writeText(file, pem.substring(0, pem.length() / 2));

        MaterialException e = certificateProblem(file);

        assertThat(e.problem()).isEqualTo(MaterialProblem.NOT_PEM);
        assertThat(e).hasMessageContaining("truncated or corrupted");
    }

    @Test
    void pemMissingBodyLines_isNotPem() throws Exception {
        List<String> lines = new ArrayList<>(
                PemWriter.certificates(List.of(ca.certificate())).lines().toList());
        lines.subList(2, lines.size() - 2).clear();
        Path file = dir.resolve("ca.crt");
        writeText(file, String.join("\n", lines) + "\n");

        assertThat(certificateProblem(file).problem()).isEqualTo(MaterialProblem.NOT_PEM);
    }

    @Test
    void bitFlippedBase64_isNotPem_andNamesTheBlock() throws Exception {
        String pem = PemWriter.certificates(List.of(ca.certificate(), ec.certificate()));
        int secondBody = pem.indexOf("-----BEGIN", 10) + "-----BEGIN CERTIFICATE-----\n".length();
        char[] text = pem.toCharArray();
        text[secondBody + 1] ^= 0x01;
        Path file = dir.resolve("ca.crt");
        writeText(file, new String(text));

        MaterialException e = certificateProblem(file);

        assertThat(e.problem()).isEqualTo(MaterialProblem.NOT_PEM);
        assertThat(e).hasMessageContaining("block 2 (CERTIFICATE) does not decode");
    }

    @Test
    void certificateInKeyFile_isWrongContent_andSuggestsASwap() throws Exception {
        Path file = dir.resolve("client.key");
        writeText(file, PemWriter.certificates(List.of(ec.certificate())));

        MaterialException e = keyProblem(file);

        assertThat(e.problem()).isEqualTo(MaterialProblem.WRONG_CONTENT);
        assertThat(e).hasMessageContaining("[CERTIFICATE] but no PRIVATE KEY block")
                .hasMessageContaining("swapped");
    }

    @Test
    void keyInCertificateFile_isWrongContent() throws Exception {
        Path file = dir.resolve("client.crt");
        writeText(file, PemWriter.privateKey(rsa.privateKey(), KeyFormat.PKCS1));

        MaterialException e = certificateProblem(file);

        assertThat(e.problem()).isEqualTo(MaterialProblem.WRONG_CONTENT);
        assertThat(e).hasMessageContaining("[RSA PRIVATE KEY] but no CERTIFICATE block");
    }

    @Test
    void encryptedPkcs8Key_isEncrypted() throws Exception {
        Path file = dir.resolve("client.key");
        writeText(file, PemWriter.privateKey(ec.privateKey(), KeyFormat.PKCS8_ENCRYPTED,
                "secret".toCharArray()));

        MaterialException e = keyProblem(file);

        assertThat(e.problem()).isEqualTo(MaterialProblem.ENCRYPTED);
        assertThat(e.reason()).isEqualTo(Reason.ENCRYPTED_KEY);
        assertThat(e).hasMessageContaining("ENCRYPTED PRIVATE KEY");
    }

    @Test
    void legacyProcTypeEncryptedKey_isEncrypted() throws Exception {
        Path file = dir.resolve("client.key");
        String pem = TestPki.legacyEncrypted(rsa.privateKey());
        writeText(file, pem);

        MaterialException e = keyProblem(file);

        assertThat(pem).contains("Proc-Type: 4,ENCRYPTED");
        assertThat(e.problem()).isEqualTo(MaterialProblem.ENCRYPTED);
        assertThat(e).hasMessageContaining("RSA PRIVATE KEY with Proc-Type: 4,ENCRYPTED");
    }

    @Test
    void openSshKey_isWrongContent() throws Exception {
        Path file = dir.resolve("client.key");
        writeText(file, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
                + "-----END OPENSSH PRIVATE KEY-----\n");

        assertThat(keyProblem(file).problem()).isEqualTo(MaterialProblem.WRONG_CONTENT);
    }

    @Test
    void corruptedInputs_neverThrowAnythingButMaterialException() throws Exception {
        byte[] pem = (PemWriter.certificates(List.of(ec.certificate()))
                + PemWriter.privateKey(ec.privateKey(), KeyFormat.SEC1))
                .getBytes(StandardCharsets.US_ASCII);
        Random random = new Random(7);
        Path file = dir.resolve("fuzz.pem");
        for (int round = 0; round < 300; round++) {
            byte[] mutated = pem.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                mutated[random.nextInt(mutated.length)] ^= (byte) (1 << random.nextInt(8));
            }
            Files.write(file, mutated);

            readQuietly(file);
        }
    }

    @Test
    void messages_neverContainPemText() throws Exception {
        String keyPem = PemWriter.privateKey(ec.privateKey(), KeyFormat.SEC1);
        Path file = dir.resolve("client.crt");
        writeText(file, keyPem);

        MaterialException e = certificateProblem(file);

        String body = keyPem.lines().skip(1).findFirst().orElseThrow();
        assertThat(e.getMessage()).doesNotContain(body).doesNotContain("-----BEGIN");
    }

    private static void readQuietly(Path file) {
        try {
            PemReader.certificates(file);
        } catch (MaterialException expected) {
            assertThat(expected.file()).isEqualTo(file);
        }
        try {
            PemReader.privateKey(file);
        } catch (MaterialException expected) {
            assertThat(expected.file()).isEqualTo(file);
        }
    }

    private static MaterialException certificateProblem(Path file) {
        return catchThrowableOfType(MaterialException.class, () -> PemReader.certificates(file));
    }

    private static MaterialException keyProblem(Path file) {
        return catchThrowableOfType(MaterialException.class, () -> PemReader.privateKey(file));
    }

    private static IssuedCertificate issued(String kind) {
        return switch (kind) {
            case "RSA" -> rsa;
            case "EC" -> ec;
            default -> ed25519;
        };
    }
}
