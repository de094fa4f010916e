package dev.hubbletls.agent.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.hostile.DamagedPemCorpus.Case;
import dev.hubbletls.agent.hostile.DamagedPemCorpus.Expect;
import dev.hubbletls.agent.hostile.DamagedPemCorpus.Slot;
import dev.hubbletls.agent.hostile.DamagedPemCorpus.Variant;
import dev.hubbletls.agent.testing.TestPki;
import dev.hubbletls.agent.tls.CertificateInspector;
import dev.hubbletls.agent.tls.ClientMaterial;
import dev.hubbletls.agent.tls.ExpiryThresholds;
import dev.hubbletls.agent.tls.MaterialException;
import dev.hubbletls.agent.tls.MaterialLoader;
import dev.hubbletls.agent.tls.PemReader;
import dev.hubbletls.agent.tls.TlsFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of damaged PEM files through {@link MaterialLoader#load} and every judgement of
 * {@link CertificateInspector}: each ends in findings, within a small bound, without an
 * exception, never echoing key material, and with the verdict its damage calls for.
 */
class DamagedPemCorpusTest {

    private static final long SEED = 20261203L;
    private static final Duration CORPUS_BOUND = Duration.ofSeconds(90);
    private static final Duration CASE_BOUND = Duration.ofSeconds(2);
    private static final int FAILURES_LISTED = 25;

    private static DamagedPemCorpus corpus;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() {
        corpus = DamagedPemCorpus.generate(SEED);
    }

    @Test
    void pristineFilesOfEveryVariant_areHealthy() throws IOException {
        Judge judge = new Judge(dir);
        for (Variant variant : corpus.variants()) {
            judge.install(variant);

            List<Finding> findings = judge.run();

            assertThat(findings).as(variant.name())
                    .allSatisfy(finding -> assertThat(finding.status())
                            .as(finding.check() + ": " + finding.message())
                            .isEqualTo(Status.OK));
        }
    }

    @Test
    void everyDamagedFile_endsInFindings_withinBounds_withoutKeyText_asItsDamageDemands() {
        List<Case> cases = corpus.cases();
        assertThat(cases).as("corpus size").hasSizeGreaterThan(4000);

        Outcome outcome = assertTimeoutPreemptively(CORPUS_BOUND, () -> runAll(cases));

        System.out.println(outcome.summary());
        assertThat(outcome.failures()).as(outcome.summary()).isEmpty();
        assertThat(outcome.judged()).as("cases judged").isEqualTo(cases.size());
    }

    @Test
    void sameSeed_generatesTheSameBytes() {
        assertThat(digest(DamagedPemCorpus.generate(SEED).cases()))
                .isEqualTo(digest(corpus.cases()));
    }

    private Outcome runAll(List<Case> cases) throws IOException {
        Judge judge = new Judge(dir);
        Outcome outcome = new Outcome(cases.size());
        Variant installed = null;
        for (Case damaged : cases) {
            if (damaged.variant() != installed) {
                installed = damaged.variant();
                judge.install(installed);
            }
            judge.damage(damaged);
            long started = System.nanoTime();
            try {
                List<Finding> findings = judge.run();
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                outcome.judged(damaged, findings, took);
            } catch (Throwable e) {
                outcome.fail(damaged, "threw " + e);
            } finally {
                judge.restore(damaged);
            }
        }
        return outcome;
    }

    private static String digest(List<Case> cases) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Case damaged : cases) {
                sha.update(damaged.id().getBytes(StandardCharsets.UTF_8));
                sha.update(damaged.content());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The four files in a directory, and the judgements the agent makes of them. */
    private static final class Judge {

        private final TlsFiles files;
        private final Path serverChain;
        private final CertificateInspector inspector =
                new CertificateInspector(TestPki.CLOCK, ExpiryThresholds.defaults());
        private Variant variant;

        Judge(Path dir) {
            files = TlsFiles.relayLayout(dir);
            serverChain = dir.resolve("presented.crt");
        }

        void install(Variant newVariant) throws IOException {
            variant = newVariant;
            for (Slot slot : Slot.values()) {
                write(slot, DamagedPemCorpus.ascii(variant.pristine(slot)));
            }
        }

        void damage(Case damaged) throws IOException {
            write(damaged.slot(), damaged.content());
        }

        void restore(Case damaged) throws IOException {
            write(damaged.slot(), DamagedPemCorpus.ascii(variant.pristine(damaged.slot())));
        }

        /** Client, CA and server findings, in that order. */
        List<Finding> run() {
            ClientMaterial material = MaterialLoader.load(files);
            Finding client = inspector.inspectClient(material);
            Finding ca = inspector.inspectCa(material);
            Finding server = inspector.inspectServer(presented(), material.trustBundle(),
                    SeededPki.SERVER_NAME);
            return List.of(client, ca, server);
        }

        // A chain that does not parse was never presented: the dialer would have failed.
        private List<X509Certificate> presented() {
            try {
                return PemReader.certificates(serverChain);
            } catch (MaterialException e) {
                return List.of();
            }
        }

        private void write(Slot slot, byte[] content) throws IOException {
            Path file = switch (slot) {
                case CLIENT_CERT -> files.certificate();
                case CLIENT_KEY -> files.key();
                case CA -> files.ca();
                case SERVER_CHAIN -> serverChain;
            };
            Files.write(file, content);
        }
    }

    /** What the corpus run found: counts for the summary, and every broken promise. */
    private static final class Outcome {

        private final int total;
        private final List<String> failures = new ArrayList<>();
        private final Map<Expect, Integer> byExpectation = new EnumMap<>(Expect.class);
        private final Map<Variant, KeyText> keyTexts = new IdentityHashMap<>();
        private int judged;
        private int anyEndedHealthy;
        private Duration slowest = Duration.ZERO;
        private String slowestCase = "";

        Outcome(int total) {
            this.total = total;
        }

        int judged() {
            return judged;
        }

        List<String> failures() {
            return failures;
        }

        void judged(Case damaged, List<Finding> findings, Duration took) {
            judged++;
            byExpectation.merge(damaged.expect(), 1, Integer::sum);
            if (took.compareTo(slowest) > 0) {
                slowest = took;
                slowestCase = damaged.id();
            }
            if (took.compareTo(CASE_BOUND) > 0) {
                fail(damaged, "took " + took.toMillis() + " ms");
            }
            complete(damaged, findings);
            verdict(damaged, findings);
            KeyText keys = keyTexts.computeIfAbsent(damaged.variant(),
                    variant -> KeyText.of(variant.keys()));
            for (Finding finding : findings) {
                String text = finding.message() + " " + finding.details();
                keys.leakIn(text).ifPresent(leak -> fail(damaged, finding.check() + " holds "
                        + leak));
            }
        }

        private void complete(Case damaged, List<Finding> findings) {
            for (Finding finding : findings) {
                if (finding == null || finding.message().isBlank()) {
                    fail(damaged, "a finding without a message: " + finding);
                }
            }
        }

        private void verdict(Case damaged, List<Finding> findings) {
            Finding judged = findings.get(switch (damaged.slot()) {
                case CLIENT_CERT, CLIENT_KEY -> 0;
                case CA -> 1;
                case SERVER_CHAIN -> 2;
            });
            Optional<Finding> unhealthy = findings.stream()
                    .filter(finding -> finding.status() != Status.OK).findFirst();
            switch (damaged.expect()) {
                case FAILS -> {
                    if (judged.status() == Status.OK) {
                        fail(damaged, judged.check() + " stayed ok: " + judged.message());
                    }
                }
                case NOTICED -> {
                    if (unhealthy.isEmpty()) {
                        fail(damaged, "every check stayed ok");
                    }
                }
                case HEALTHY -> unhealthy.ifPresent(finding -> fail(damaged, "false alarm: "
                        + finding.check() + " " + finding.status() + " " + finding.reason()
                        + ": " + abbreviate(finding.message())));
                case ANY -> anyEndedHealthy += unhealthy.isEmpty() ? 1 : 0;
            }
        }

        void fail(Case damaged, String what) {
            failures.add(damaged.id() + ": " + what);
        }

        String summary() {
            return judged + " of " + total + " cases judged " + byExpectation + "; "
                    + anyEndedHealthy + " cases free to go either way ended healthy; slowest "
                    + slowest.toMillis() + " ms (" + slowestCase + "); " + failures.size()
                    + " broken promises" + failures.stream().limit(FAILURES_LISTED)
                    .map(failure -> "\n" + failure).collect(Collectors.joining());
        }

        private static String abbreviate(String message) {
            return message.length() > 300 ? message.substring(0, 300) + "..." : message;
        }
    }
}
