package dev.hubbletls.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.demo.ClusterPki;
import dev.hubbletls.agent.demo.ProjectedVolume;
import dev.hubbletls.agent.tls.CertificateFacts;
import dev.hubbletls.agent.tls.CertificateMint;
import dev.hubbletls.agent.tls.IssuedCertificate;
import dev.hubbletls.agent.tls.KeyKind;
import dev.hubbletls.agent.tls.PemWriter;
import dev.hubbletls.agent.tls.TlsFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsDirectoryWatcherTest {

    private static final Clock CLOCK = Clock.systemUTC();
    private static final WatchTiming FAST = new WatchTiming(Duration.ofMillis(20),
            Duration.ofMillis(200), Duration.ofMillis(150), Duration.ofMillis(30),
            Duration.ofMillis(300));
    private static final long WAIT_SECONDS = 10;

    private static ClusterPki pki;
    private static IssuedCertificate second;
    private static IssuedCertificate third;

    @TempDir
    Path root;

    private final BlockingQueue<DirectoryChange> changes = new LinkedBlockingQueue<>();
    private TlsDirectoryWatcher watcher;

    @BeforeAll
    static void mintPki() {
        pki = ClusterPki.mint("default", KeyKind.EC_P256, CLOCK.instant());
        second = client();
        third = client();
    }

    @AfterEach
    void stopWatcher() {
        if (watcher != null) {
            watcher.close();
        }
    }

    @Test
    void kubeletSwap_newClientPair_oneChangeWithCertificateAndKeyRotations() throws Exception {
        ProjectedVolume volume = volume(pki.relayClient());

        volume.publish(files(second));

        DirectoryChange change = nextChange();
        assertThat(names(change)).containsExactly("client.crt", "client.key");
        Rotation certificate = change.rotations().get(0);
        assertThat(certificate.file()).isEqualTo(volume.directory().resolve("client.crt"));
        assertThat(certificate.oldSerial()).contains(serial(pki.relayClient()));
        assertThat(certificate.newSerial()).contains(serial(second));
        assertThat(certificate.subject()).contains("CN=" + ClusterPki.RELAY_CLIENT_NAME);
        assertThat(certificate.notAfter())
                .contains(second.certificate().getNotAfter().toInstant());
        assertThat(certificate.after().certificateSha256())
                .contains(CertificateFacts.fingerprint(second.certificate()));
        assertThat(certificate.before().orElseThrow().sha256())
                .isNotEqualTo(certificate.after().sha256());
        assertThat(watcher.status().mode()).isEqualTo(WatchMode.WATCHING);
    }

    @Test
    void kubeletSwap_certificateAloneRenewedOverSameKey_oneRotation() throws Exception {
        ProjectedVolume volume = volume(pki.relayClient());
        IssuedCertificate renewed = CertificateMint.issue(
                ClusterPki.relayClientSpec(CLOCK.instant()).withKeyKind(KeyKind.EC_P256),
                pki.ca(), pki.relayClient().keyPair());

        volume.publish(files(renewed));

        DirectoryChange change = nextChange();
        assertThat(names(change)).containsExactly("client.crt");
        assertThat(change.rotations().get(0).newSerial()).contains(serial(renewed));
    }

    @Test
    void kubeletSwap_keyAloneReplaced_reportedAfterRecheckAsOneRotation() throws Exception {
        ProjectedVolume volume = volume(pki.relayClient());
        Map<String, byte[]> keyOnly = files(pki.relayClient());
        keyOnly.put("client.key", files(second).get("client.key"));

        volume.publish(keyOnly);

        DirectoryChange change = nextChange();
        assertThat(names(change)).containsExactly("client.key");
        assertThat(change.rotations().get(0).newSerial()).isEmpty();
    }

    @Test
    void kubeletSwap_caBundleAloneGainsNewCa_oneRotation() throws Exception {
        ProjectedVolume volume = volume(pki.relayClient());
        IssuedCertificate newCa = ClusterPki.mint("default", KeyKind.EC_P256, CLOCK.instant()).ca();
        Map<String, byte[]> bundle = files(pki.relayClient());
        bundle.put("hubble-server-ca.crt", ascii(PemWriter.certificates(
                List.of(pki.ca().certificate(), newCa.certificate()))));

        volume.publish(bundle);

        DirectoryChange change = nextChange();
        assertThat(names(change)).containsExactly("hubble-server-ca.crt");
        assertThat(change.rotations().get(0).newSerial()).contains(serial(pki.ca()));
    }

    @Test
    void kubeletSwap_allThreeFiles_oneChangeWithThreeRotations() throws Exception {
        ProjectedVolume volume = volume(pki.relayClient());
        ClusterPki renewed = ClusterPki.mint("default", KeyKind.EC_P256, CLOCK.instant());

        volume.publish(renewed.relayClientFiles());

        assertThat(names(nextChange()))
                .containsExactly("client.crt", "client.key", "hubble-server-ca.crt");
    }

    @Test
    void kubeletSwap_toBrokenKey_rotationWithoutCertificateIdentity() throws Exception {
        ProjectedVolume volume = volume(pki.relayClient());
        Map<String, byte[]> broken = files(pki.relayClient());
        broken.put("client.key", ascii("-----BEGIN EC PRIVATE KEY-----\nAAAA\n"));

        volume.publish(broken);

        DirectoryChange change = nextChange();
        assertThat(names(change)).containsExactly("client.key");
        assertThat(change.after().file("client.key").orElseThrow().serial()).isEmpty();
    }

    @Test
    void kubeletSwap_rotationBack_reportsTheFirstVersionAgain() throws Exception {
        ProjectedVolume volume = volume(pki.relayClient());
        volume.publish(files(second));
        nextChange();

        volume.publish(files(pki.relayClient()));

        Rotation back = nextChange().rotations().get(0);
        assertThat(back.oldSerial()).contains(serial(second));
        assertThat(back.newSerial()).contains(serial(pki.relayClient()));
    }

    @Test
    void kubeletSwap_twoRotationsInQuickSuccession_endsOnTheLastWithoutHalfStates()
            throws Exception {
        ProjectedVolume volume = volume(pki.relayClient());

        volume.publish(files(second));
        volume.publish(files(third));

        DirectoryChange change = nextChange();
        while (!change.after().file("client.crt").flatMap(FileVersion::serial)
                .equals(Optional.of(serial(third)))) {
            assertThat(change.after().file("client.crt").flatMap(FileVersion::serial))
                    .contains(serial(second));
            change = nextChange();
        }
        assertThat(change.after().file("client.key").orElseThrow().sha256())
                .isEqualTo(FileVersion.of(files(third).get("client.key")).sha256());
    }

    @Test
    void republishingIdenticalContent_isNoChange_theNextRealRotationIsReportedAlone()
            throws Exception {
        ProjectedVolume volume = volume(pki.relayClient());

        volume.publish(files(pki.relayClient()));
        volume.publish(files(second));

        DirectoryChange change = nextChange();
        assertThat(change.rotations().get(0).oldSerial()).contains(serial(pki.relayClient()));
        assertThat(change.rotations().get(0).newSerial()).contains(serial(second));
    }

    @Test
    void directoryVanishesAndReturns_pollsWhileMissing_thenWatchesAgain() throws Exception {
        ProjectedVolume volume = volume(pki.relayClient());

        volume.delete();
        awaitChange(change -> !change.after().directoryPresent());
        assertThat(watcher.status().mode()).isEqualTo(WatchMode.MISSING);

        volume.publish(files(pki.relayClient()));
        awaitChange(change -> change.after().files().size() == 3);
        assertThat(watcher.status().mode()).isEqualTo(WatchMode.WATCHING);

        volume.publish(files(second));
        assertThat(nextChange().rotations().get(0).newSerial()).contains(serial(second));
    }

    @Test
    void directoryMissingAtStart_statusMissing_rotationsOnceItAppears() throws Exception {
        Path directory = root.resolve("relay-tls");
        start(WatchedDirectory.relayMaterial(TlsFiles.relayLayout(directory)));
        assertThat(watcher.status().mode()).isEqualTo(WatchMode.MISSING);
        assertThat(watcher.status().why()).contains("does not exist");

        new ProjectedVolume(directory, CLOCK).publish(files(pki.relayClient()));

        List<Rotation> rotations = awaitChange(change -> change.after().files().size() == 3);
        assertThat(rotations).extracting(rotation -> rotation.file().getFileName().toString())
                .containsExactlyInAnyOrder("client.crt", "client.key", "hubble-server-ca.crt");
        assertThat(rotations).allSatisfy(rotation -> assertThat(rotation.before()).isEmpty());
        assertThat(watcher.status().mode()).isEqualTo(WatchMode.WATCHING);
    }

    @Test
    void directoryReplacedByAnother_newDirectoryIsReadAndWatched() throws Exception {
        Path directory = root.resolve("relay-tls");
        writePlain(directory, files(pki.relayClient()));
        start(WatchedDirectory.relayMaterial(TlsFiles.relayLayout(directory)));

        Files.move(directory, root.resolve("relay-tls.old"));
        writePlain(directory, files(second));

        DirectoryChange change = nextChange();
        assertThat(change.after().file("client.crt").flatMap(FileVersion::serial))
                .contains(serial(second));
        writeInPlace(directory.resolve("client.crt"), files(third).get("client.crt"));
        writeInPlace(directory.resolve("client.key"), files(third).get("client.key"));
        assertThat(lastChange().after().file("client.crt").flatMap(FileVersion::serial))
                .contains(serial(third));
        assertThat(watcher.status().mode()).isEqualTo(WatchMode.WATCHING);
    }

    @Test
    void plainFilesRenamedOver_asCsiDriverAndHostPathDo_areRotations() throws Exception {
        Path directory = root.resolve("relay-tls");
        writePlain(directory, files(pki.relayClient()));
        start(WatchedDirectory.relayMaterial(TlsFiles.relayLayout(directory)));

        for (Map.Entry<String, byte[]> file : files(second).entrySet()) {
            Path staged = directory.resolve("." + file.getKey() + ".tmp");
            Files.write(staged, file.getValue());
            Files.move(staged, directory.resolve(file.getKey()),
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }

        assertThat(lastChange().after().file("client.crt").flatMap(FileVersion::serial))
                .contains(serial(second));
    }

    @Test
    void inPlaceWrite_certificateBeforeKey_isRecheckedAndReportedAsOnePair() throws Exception {
        Path directory = root.resolve("relay-tls");
        writePlain(directory, files(pki.relayClient()));
        CountDownLatch halfWritten = new CountDownLatch(1);
        BooleanSupplier finished = WatchedDirectory.relayMaterial(
                TlsFiles.relayLayout(directory)).finished();
        start(new WatchedDirectory("relay client material", directory,
                List.of("client.crt", "client.key", "hubble-server-ca.crt"), () -> {
                    boolean done = finished.getAsBoolean();
                    if (!done) {
                        halfWritten.countDown();
                    }
                    return done;
                }));

        writeInPlace(directory.resolve("client.crt"), files(second).get("client.crt"));
        assertThat(halfWritten.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        writeInPlace(directory.resolve("client.key"), files(second).get("client.key"));

        assertThat(names(nextChange())).containsExactly("client.crt", "client.key");
    }

    @Test
    void listenerThatThrows_watchingGoesOn() throws Exception {
        ProjectedVolume volume = new ProjectedVolume(root.resolve("relay-tls"), CLOCK);
        volume.publish(files(pki.relayClient()));
        watcher = new TlsDirectoryWatcher(
                WatchedDirectory.relayMaterial(TlsFiles.relayLayout(volume.directory())), FAST,
                CLOCK, change -> {
                    changes.add(change);
                    throw new IllegalStateException("listener bug");
                });
        watcher.start();

        volume.publish(files(second));
        nextChange();
        volume.publish(files(third));

        assertThat(nextChange().rotations().get(0).newSerial()).contains(serial(third));
    }

    private ProjectedVolume volume(IssuedCertificate client) throws IOException {
        ProjectedVolume volume = new ProjectedVolume(root.resolve("relay-tls"), CLOCK);
        volume.publish(files(client));
        start(WatchedDirectory.relayMaterial(TlsFiles.relayLayout(volume.directory())));
        return volume;
    }

    private void start(WatchedDirectory directory) {
        watcher = new TlsDirectoryWatcher(directory, FAST, CLOCK, changes::add);
        watcher.start();
    }

    private DirectoryChange nextChange() throws InterruptedException {
        DirectoryChange change = changes.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(change).as("a change within " + WAIT_SECONDS + " s").isNotNull();
        return change;
    }

    /**
     * Waits for a change that matches, and returns the rotations of every change up to it.
     * Every change on the way must be free of rotations back to an earlier version, as the
     * directory only comes and goes here.
     */
    private List<Rotation> awaitChange(Predicate<DirectoryChange> wanted)
            throws InterruptedException {
        List<Rotation> rotations = new ArrayList<>();
        DirectoryChange change;
        do {
            change = nextChange();
            rotations.addAll(change.rotations());
        } while (!wanted.test(change));
        assertThat(rotations).noneMatch(rotation -> rotation.before().isPresent());
        return rotations;
    }

    /** Waits for the first change, then takes whatever else settled right behind it. */
    private DirectoryChange lastChange() throws InterruptedException {
        DirectoryChange change = nextChange();
        DirectoryChange more;
        while ((more = changes.poll(FAST.maxSettle().toMillis() + FAST.recheckDelay().toMillis(),
                TimeUnit.MILLISECONDS)) != null) {
            change = more;
        }
        return change;
    }

    private static List<String> names(DirectoryChange change) {
        return change.rotations().stream()
                .map(rotation -> rotation.file().getFileName().toString())
                .toList();
    }

    private static IssuedCertificate client() {
        return CertificateMint.issue(
                ClusterPki.relayClientSpec(CLOCK.instant()).withKeyKind(KeyKind.EC_P256),
                pki.ca());
    }

    private static Map<String, byte[]> files(IssuedCertificate client) {
        return new LinkedHashMap<>(pki.withRelayClient(client).relayClientFiles());
    }

    private static String serial(IssuedCertificate issued) {
        return issued.certificate().getSerialNumber().toString(16);
    }

    private static void writePlain(Path directory, Map<String, byte[]> files) throws IOException {
        Files.createDirectories(directory);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Files.write(directory.resolve(file.getKey()), file.getValue());
        }
    }

    private static void writeInPlace(Path file, byte[] content) throws IOException {
        Files.write(file, content);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
