package dev.hubbletls.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.check.CheckPass;
import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.check.ReportJson;
import dev.hubbletls.agent.cli.Main;
import dev.hubbletls.agent.cli.TextReport;
import dev.hubbletls.agent.config.AgentSettings;
import dev.hubbletls.agent.demo.DemoScenario;
import dev.hubbletls.agent.demo.EmbeddedHubble;
import dev.hubbletls.agent.hostile.KeyText;
import dev.hubbletls.agent.hostile.RelayDirectoryFaults;
import dev.hubbletls.agent.tls.ExpiryThresholds;
import dev.hubbletls.agent.tls.TlsFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's security sweep: the demo, every demo fault, every fault of the relay's TLS
 * directory and a missing socket, with everything the agent logs (at every level, libraries
 * included), prints, reports as JSON or text and exports as telemetry (in memory and over
 * OTLP) captured and scanned for private key material. Lives beside the telemetry tests for
 * their in-memory exporters and OTLP receiver.
 */
class KeyMaterialEverywhereTest {

    private static final Pattern RELAY_DIR = Pattern.compile("(?m)^ {2}relay TLS +(\\S+)$");
    /** The one place a key's block type is named on purpose: "the key is encrypted". */
    private static final String ENCRYPTED_TYPE = "(ENCRYPTED PRIVATE KEY)";

    @TempDir
    Path root;
    private final Logger rootLogger = Logger.getLogger("");
    private final EverythingLogged logged = new EverythingLogged();
    private Level rootLevel;
    private PrintStream stdout;
    private PrintStream stderr;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeEach
    void captureEverything() {
        rootLevel = rootLogger.getLevel();
        rootLogger.setLevel(Level.ALL);
        rootLogger.addHandler(logged);
        stdout = System.out;
        stderr = System.err;
        PrintStream both = new PrintStream(printed, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
    }

    @AfterEach
    void release() {
        System.setOut(stdout);
        System.setErr(stderr);
        rootLogger.removeHandler(logged);
        rootLogger.setLevel(rootLevel);
    }

    @Test
    void demoCommand_printsLogsAndExportsNoKeyMaterial() throws Exception {
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        List<String> relayKeys = new ArrayList<>();
        String exported;
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            int exit = withOtlpEndpoint(receiver.endpoint(), () -> Main.execute(
                    new String[] {"demo", "--key-type", "EC_P256"},
                    new PrintWriter(new KeyGrabbingWriter(out, relayKeys), true),
                    new PrintWriter(new KeyGrabbingWriter(err, relayKeys), true)));
            assertThat(exit).as(out.toString() + err).isZero();
            exported = receiver.everythingReceived();
        }

        assertThat(relayKeys).as("the demo's relay key, read while the demo ran").hasSize(1);
        assertThat(exported).as("the demo's OTLP export").contains("hubble_tls.check.status");
        String everything = String.join("\n", out, err, exported, logged.text(),
                printed.toString(StandardCharsets.UTF_8));
        assertThat(everything).doesNotContain("PRIVATE KEY").doesNotContain("-----BEGIN");
        assertNoLeak(everything, KeyText.ofPem(relayKeys), relayKeys.get(0));
    }

    @Test
    void everyFault_reportsLogsAndTelemetryHoldNoKeyMaterial() throws Exception {
        List<String> reported = new ArrayList<>();
        String exported;
        try (EmbeddedNode embedded = new EmbeddedNode();
             InMemoryTelemetry memory = new InMemoryTelemetry(embedded.clock,
                     Duration.ofHours(1), Optional.of(EmbeddedHubble.NODE))) {
            List<CheckReport> reports = new ArrayList<>(demoFaults(embedded));
            reports.addAll(relayDirectoryFaults(embedded));
            reports.add(socketMissing(embedded));
            for (CheckReport report : reports) {
                memory.telemetry.record(report);
                reported.add(ReportJson.text(report, embedded.clock.instant()));
                reported.add(TextReport.render(report, embedded.clock.instant()));
            }
            memory.telemetry.recordRotation(embedded.node.relayFiles().key().toString());
            exported = Stream.of(memory.spans(), memory.events(), memory.collectMetrics())
                    .flatMap(items -> items.stream().map(Object::toString))
                    .collect(Collectors.joining("\n")) + memory.prometheusText();
            String relayKey = Files.readString(embedded.node.relayFiles().key());
            KeyText keys = KeyText.of(List.of(embedded.node.pki().relayClient().privateKey(),
                    embedded.node.pki().server().privateKey(),
                    embedded.node.pki().ca().privateKey()))
                    .and(KeyText.ofPem(List.of(relayKey)));

            assertThat(reported).hasSizeGreaterThan(2 * DemoScenario.all().size());
            String everything = String.join("\n", String.join("\n", reported), exported,
                    logged.text(), printed.toString(StandardCharsets.UTF_8));
            assertThat(everything).contains("encrypted");
            assertThat(everything.replace(ENCRYPTED_TYPE, "")).doesNotContain("PRIVATE KEY");
            assertNoLeak(everything, keys, relayKey);
        }
    }

    private static List<CheckReport> demoFaults(EmbeddedNode embedded) throws IOException {
        List<CheckReport> reports = new ArrayList<>();
        for (DemoScenario scenario : DemoScenario.all()) {
            embedded.restoreHealthy();
            scenario.fault().apply(embedded.node, embedded.clock);
            reports.add(embedded.pass.run());
        }
        embedded.restoreHealthy();
        return reports;
    }

    private List<CheckReport> relayDirectoryFaults(EmbeddedNode embedded) throws IOException {
        TlsFiles relay = TlsFiles.relayLayout(Files.createDirectory(root.resolve("relay")));
        List<CheckReport> reports = new ArrayList<>();
        try (CheckPass pass = CheckPass.create(settings(embedded.node.socketPath(), relay),
                embedded.clock)) {
            for (RelayDirectoryFaults.Fault fault :
                    RelayDirectoryFaults.all(embedded.node.pki())) {
                fault.apply(relay);
                CheckReport report = pass.run();
                fault.assertVerdict(report);
                reports.add(report);
            }
        } finally {
            RelayDirectoryFaults.makeReadable(relay);
        }
        return reports;
    }

    private CheckReport socketMissing(EmbeddedNode embedded) {
        try (CheckPass pass = CheckPass.create(settings(root.resolve("gone.sock"),
                embedded.node.relayFiles()), embedded.clock)) {
            return pass.run();
        }
    }

    private static AgentSettings settings(Path socket, TlsFiles files) {
        return new AgentSettings(socket.toString(), files, Optional.of(EmbeddedHubble.NODE),
                Optional.empty(), Optional.empty(), Duration.ofSeconds(2),
                ExpiryThresholds.defaults(), AgentSettings.DEFAULT_INTERVAL);
    }

    /** Also proves the scan able to fail: it must find {@code keyPem} in {@code keyPem}. */
    private void assertNoLeak(String everything, KeyText keys, String keyPem) {
        // An EC key in SEC1 without its public half is 68 base64 characters: 29 slices.
        assertThat(keys.size()).as("key slices looked for").isGreaterThanOrEqualTo(29);
        assertThat(keys.leakIn("logged: " + keyPem.lines().skip(1).findFirst().orElseThrow()))
                .as("the scan finds a key line").isPresent();
        assertThat(logged.text()).as("log records captured").isNotEmpty();
        assertThat(keys.leakIn(everything)).as("key material in what was captured").isEmpty();
    }

    /** The demo's telemetry reads the standard OTel system properties, as it would env. */
    private static int withOtlpEndpoint(String endpoint, IntSupplier run) {
        System.setProperty("otel.exporter.otlp.endpoint", endpoint);
        System.setProperty("otel.metric.export.interval", "200");
        try {
            return run.getAsInt();
        } finally {
            System.clearProperty("otel.exporter.otlp.endpoint");
            System.clearProperty("otel.metric.export.interval");
        }
    }

    /** Every log record of the JVM, at every level, formatted as an operator reads it. */
    private static final class EverythingLogged extends Handler {

        private final List<String> lines = new CopyOnWriteArrayList<>();

        EverythingLogged() {
            setLevel(Level.ALL);
            setFormatter(new SimpleFormatter());
        }

        String text() {
            return String.join("", lines);
        }

        @Override
        public void publish(LogRecord record) {
            lines.add(getFormatter().format(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /**
     * Collects what the demo prints, and reads the demo's relay key the moment the demo
     * names its relay directory: the demo deletes its files when it ends.
     */
    private static final class KeyGrabbingWriter extends Writer {

        private final StringBuilder text;
        private final List<String> keys;

        KeyGrabbingWriter(StringBuilder text, List<String> keys) {
            this.text = text;
            this.keys = keys;
        }

        @Override
        public void write(char[] buffer, int offset, int length) {
            int before = text.length();
            text.append(buffer, offset, length);
            Matcher relay = RELAY_DIR.matcher(text);
            if (text.indexOf("\n", before) >= 0 && keys.isEmpty() && relay.find()) {
                try {
                    keys.add(Files.readString(Path.of(relay.group(1)).resolve("client.key")));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
