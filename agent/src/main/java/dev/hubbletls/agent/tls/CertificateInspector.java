package dev.hubbletls.agent.tls;

import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Judges the relay's client certificate, its CA bundle and the chain a Hubble server
 * presents, the way Go's crypto/x509 will judge them, and says what to do about each
 * problem. One finding per check; the worst problem leads and the others are named.
 */
public final class CertificateInspector {

    private static final String CLIENT_RENEWAL = "renew the secret hubble-relay-client-certs (helm"
            + " upgrade regenerates it with hubble.tls.auto.method=helm; with cronJob or"
            + " certmanager check that the renewal runs).";
    private static final String SERVER_RENEWAL = "renew the secret hubble-server-certs (helm"
            + " upgrade regenerates it with hubble.tls.auto.method=helm; with cronJob or"
            + " certmanager check that the renewal runs).";
    private static final String CA_RENEWAL = "the CA, not the leaf, is the problem: renew the CA"
            + " (secret cilium-ca) and re-issue hubble-server-certs and"
            + " hubble-relay-client-certs from it, keeping old and new CA in the bundle while"
            + " the leaves roll over.";

    private static final String CLIENT_AUTH = "clientAuth";
    private static final String SERVER_AUTH = "serverAuth";
    private static final String ANY_USAGE = "2.5.29.37.0";
    private static final int MIN_RSA_BITS = 2048;

    private final ExpiryRule expiry;

    public CertificateInspector(Clock clock, ExpiryThresholds thresholds) {
        this.expiry = new ExpiryRule(clock, thresholds);
    }

    /** The relay client certificate and key: loadable, matching, in date, fit for clientAuth. */
    public Finding inspectClient(ClientMaterial material) {
        Verdict verdict = new Verdict(CheckId.CLIENT_CERTIFICATE);
        Path file = material.files().certificate();
        verdict.detail("file", file.toString());
        verdict.detail("keyFile", material.files().key().toString());
        verdict.detail("nodeClock", TimeText.at(expiry.now()));
        addProblems(verdict, material, file);
        addProblems(verdict, material, material.files().key());
        if (material.clientChain().isEmpty()) {
            return nothingLoaded(verdict, file, "no client certificate");
        }

        X509Certificate leaf = material.clientChain().get(0);
        expiry.judge(leaf, "Client certificate " + subject(leaf), CLIENT_RENEWAL, false)
                .ifPresent(verdict::add);
        for (X509Certificate intermediate : rest(material.clientChain())) {
            expiry.judge(intermediate, "Intermediate CA " + subject(intermediate) + " in "
                    + file, CA_RENEWAL, true).ifPresent(verdict::add);
        }
        if (!allows(leaf, CLIENT_AUTH)) {
            verdict.add(Concern.critical(Reason.CLIENT_AUTH_USAGE_MISSING, "Client certificate "
                    + subject(leaf) + " has extended key usages " + usages(leaf) + " but not "
                    + "clientAuth: the server will refuse the relay; re-issue"
                    + " hubble-relay-client-certs with clientAuth."));
        }
        verdict.facts("", CertificateFacts.of(leaf, CertificateRole.CLIENT, file.toString()),
                expiry.now());
        return verdict.finding("Client certificate " + subject(leaf) + " in " + file
                + " matches its key and is valid until " + until(leaf) + "; " + clock() + ".");
    }

    /** The CA bundle the relay trusts: loadable and holding a CA that is valid now. */
    public Finding inspectCa(ClientMaterial material) {
        Verdict verdict = new Verdict(CheckId.CA_CERTIFICATE);
        Path file = material.files().ca();
        verdict.detail("file", file.toString());
        verdict.detail("nodeClock", TimeText.at(expiry.now()));
        addProblems(verdict, material, file);
        List<X509Certificate> bundle = material.trustBundle();
        if (bundle.isEmpty()) {
            return nothingLoaded(verdict, file, "no CA");
        }

        for (int i = 0; i < bundle.size(); i++) {
            nonCa(bundle, i, file).ifPresent(verdict::add);
            Optional<Concern> concern = judgeCa(bundle, i, file);
            if (concern.isEmpty() && !material.clientChain().isEmpty()) {
                concern = caBeforeLeaf(bundle.get(i), material.clientChain(),
                        "the client certificate");
            }
            concern.ifPresent(verdict::add);
            verdict.facts("ca" + (i + 1) + ".", CertificateFacts.of(bundle.get(i),
                    CertificateRole.CA, file.toString()), expiry.now());
        }
        return verdict.finding("CA bundle " + file + " holds " + bundle.size()
                + (bundle.size() == 1 ? " CA: " : " CAs: ") + bundle.stream()
                .map(ca -> subject(ca) + " valid until " + until(ca))
                .collect(Collectors.joining("; ")) + "; " + clock() + ".");
    }

    /**
     * The chain a server presented (leaf first), whether or not the handshake verified it:
     * trust, name, usage, dates, key size and signature algorithms.
     */
    public Finding inspectServer(List<X509Certificate> presented,
                                 List<X509Certificate> trustBundle, String serverName) {
        if (presented.isEmpty()) {
            return Finding.of(CheckId.SERVER_CERTIFICATE, Status.ERROR, Reason.SKIPPED,
                    "no certificate was presented").with("serverName", serverName);
        }
        Verdict verdict = new Verdict(CheckId.SERVER_CERTIFICATE);
        X509Certificate leaf = presented.get(0);
        TrustChain.Anchoring anchoring = TrustChain.anchor(presented, trustBundle, expiry.now());
        Optional<X509Certificate> anchor = anchoring.anchor();

        judgeServerLeaf(verdict, presented, trustBundle, serverName, anchor.isPresent());
        anchor.filter(ca -> !ca.equals(leaf))
                .flatMap(ca -> expiry.judge(ca, "The server certificate's CA " + subject(ca),
                        CA_RENEWAL, true)
                .or(() -> caBeforeLeaf(ca, presented, "the server certificate")))
                .ifPresent(verdict::add);
        judgeIntermediates(verdict, presented);
        judgeStrength(verdict, presented);

        serverDetails(verdict, presented, trustBundle, serverName, anchoring);
        String trust = anchor.filter(leaf::equals).isPresent()
                ? "is trusted as itself (the CA bundle holds this very certificate, see "
                        + CheckId.CA_CERTIFICATE.id() + ")"
                : "chains to " + anchor.map(CertificateInspector::subject).orElse("");
        return verdict.finding("Server certificate " + subject(leaf) + " covers " + serverName
                + ", " + trust + " and is valid until " + until(leaf) + "; " + clock() + ".");
    }

    /**
     * Whether the Hubble server, verifying clients against the client CA bundle in
     * {@code serverFiles}, will accept the relay's client certificate: a prediction made
     * from the files, before the server has loaded them.
     */
    public Finding inspectServerClientCa(ClientMaterial material, ServerTlsFiles serverFiles) {
        Verdict verdict = new Verdict(CheckId.SERVER_CLIENT_CA);
        Path caFile = serverFiles.clientCa();
        verdict.detail("file", caFile.toString());
        verdict.detail("clientCertificateFile", material.files().certificate().toString());
        List<X509Certificate> clientCas;
        try {
            clientCas = PemReader.certificates(caFile);
        } catch (MaterialException e) {
            verdict.add(new Concern(Status.ERROR, e.reason(), e.getMessage()
                    + " (the server's client CA bundle, from hubble-server-certs' ca.crt)"));
            return verdict.finding("");
        }
        verdict.detail("clientCas", describeBundle(clientCas));
        if (material.clientChain().isEmpty()) {
            return Finding.of(CheckId.SERVER_CLIENT_CA, Status.ERROR, Reason.SKIPPED,
                    "not judged: no client certificate to judge, see client-certificate");
        }
        X509Certificate leaf = material.clientChain().get(0);
        Optional<X509Certificate> anchor =
                TrustChain.anchor(material.clientChain(), clientCas, expiry.now()).anchor();
        if (anchor.isEmpty()) {
            verdict.add(clientCaMismatch(leaf, material.files().certificate(), clientCas,
                    caFile));
        }
        return verdict.finding("The server's client CA bundle " + caFile + " holds "
                + anchor.map(CertificateInspector::subject).orElse("") + ", which issued the"
                + " relay client certificate " + subject(leaf) + ": the server accepts it.");
    }

    private static Concern clientCaMismatch(X509Certificate leaf, Path clientFile,
                                            List<X509Certificate> clientCas, Path caFile) {
        String issuerKey = TrustChain.authorityKeyId(leaf).map(id -> " (key id " + id + ")")
                .orElse("");
        return Concern.critical(Reason.CLIENT_CA_MISMATCH, "The relay client certificate "
                + subject(leaf) + " in " + clientFile + " was issued by "
                + leaf.getIssuerX500Principal().getName() + issuerKey + ", but the server's"
                + " client CA bundle " + caFile + " holds only " + describeBundle(clientCas)
                + ": once the server loads this bundle it refuses the relay (bad_certificate"
                + " or unknown_ca); issue hubble-relay-client-certs and hubble-server-certs"
                + " from the same CA, or keep the relay's CA in the server's ca.crt while"
                + " they roll over.");
    }

    /** Report facts of the client chain (roles CLIENT, CLIENT_CHAIN) and the CA bundle. */
    public List<CertificateFacts> facts(ClientMaterial material) {
        List<CertificateFacts> facts = new ArrayList<>(CertificateFacts.ofChain(
                material.clientChain(), CertificateRole.CLIENT, CertificateRole.CLIENT_CHAIN,
                material.files().certificate().toString()));
        facts.addAll(CertificateFacts.ofChain(material.trustBundle(), CertificateRole.CA,
                CertificateRole.CA, material.files().ca().toString()));
        return List.copyOf(facts);
    }

    private void judgeServerLeaf(Verdict verdict, List<X509Certificate> presented,
                                 List<X509Certificate> trustBundle, String serverName,
                                 boolean anchored) {
        X509Certificate leaf = presented.get(0);
        expiry.judge(leaf, "Server certificate " + subject(leaf), SERVER_RENEWAL, false)
                .ifPresent(verdict::add);
        if (!anchored) {
            verdict.add(unknownAuthority(leaf, presented, trustBundle));
        }
        ServerNameAdvice.mismatch(leaf, serverName).ifPresent(verdict::add);
        if (!allows(leaf, SERVER_AUTH)) {
            verdict.add(Concern.critical(Reason.SERVER_AUTH_USAGE_MISSING, "Server certificate "
                    + subject(leaf) + " has extended key usages " + usages(leaf) + " but not"
                    + " serverAuth: Relay refuses it; re-issue hubble-server-certs with"
                    + " serverAuth."));
        }
    }

    private static void addProblems(Verdict verdict, ClientMaterial material, Path file) {
        for (MaterialException problem : material.problemsWith(file)) {
            verdict.add(Concern.critical(problem.reason(), problem.getMessage()));
        }
    }

    private static Finding nothingLoaded(Verdict verdict, Path file, String what) {
        if (!verdict.hasConcerns()) {
            verdict.add(Concern.critical(Reason.UNREADABLE_PEM, file + " yielded " + what
                    + ": put the PEM certificate(s) in this file."));
        }
        return verdict.finding(what);
    }

    /**
     * An expired CA is critical only when nothing else in the bundle is valid; an expiring
     * one beside a CA that outlasts the warning threshold is a rotation in progress. CAs
     * are named with their position, as old and new CA often share a name.
     */
    private Optional<Concern> judgeCa(List<X509Certificate> bundle, int index, Path file) {
        X509Certificate ca = bundle.get(index);
        String name = bundleName(bundle, index) + " in " + file;
        List<X509Certificate> others = bundle.stream()
                .filter(other -> other != ca && isCa(other) && expiry.current(other)).toList();
        if (expiry.current(ca)) {
            boolean rotation = others.stream().anyMatch(expiry::outlastsWarning);
            return rotation ? Optional.empty() : expiry.judge(ca, name, CA_RENEWAL, true);
        }
        if (others.isEmpty()) {
            return expiry.judge(ca, name, "no CA in the bundle is valid now, so the relay"
                    + " verifies no server; " + CA_RENEWAL, true);
        }
        boolean expired = expiry.expired(ca);
        String state = expired
                ? "expired " + TimeText.at(ca.getNotAfter().toInstant())
                : "is not valid before " + TimeText.at(ca.getNotBefore().toInstant());
        String next = expired
                ? "the expired CA can be removed from the bundle."
                : "check this node's time synchronisation.";
        List<String> valid = others.stream()
                .map(other -> bundleName(bundle, bundle.indexOf(other))).toList();
        return Optional.of(Concern.warn(expired ? Reason.CA_EXPIRED : Reason.CERT_NOT_YET_VALID,
                name + " " + state + " (node clock " + TimeText.at(expiry.now())
                        + "), but the bundle also holds " + String.join(", ", valid)
                        + ", valid now, so the relay still verifies servers; " + next));
    }

    private static String bundleName(List<X509Certificate> bundle, int index) {
        String kind = isCa(bundle.get(index)) ? "CA #" : "certificate #";
        return kind + (index + 1) + " " + subject(bundle.get(index));
    }

    /**
     * A certificate without the CA flag in the bundle: Go trusts it as it is, so Relay
     * accepts exactly that server certificate and nothing it would sign, and loses the
     * server when it is renewed.
     */
    private static Optional<Concern> nonCa(List<X509Certificate> bundle, int index, Path file) {
        X509Certificate certificate = bundle.get(index);
        if (isCa(certificate)) {
            return Optional.empty();
        }
        return Optional.of(Concern.warn(Reason.NON_CA_IN_BUNDLE, "CA bundle " + file
                + " holds " + bundleName(bundle, index) + ", which is not a CA (no CA basic"
                + " constraint): Relay trusts exactly this certificate, not an issuer, so a"
                + " server presenting it works only until its next renewal; put the CA that"
                + " issues hubble-server-certs (the ca.crt of that secret) in the bundle"
                + " instead."));
    }

    private static boolean isCa(X509Certificate certificate) {
        return certificate.getBasicConstraints() >= 0;
    }

    /** A CA that issued a certificate of the chain yet expires before the chain's leaf. */
    private Optional<Concern> caBeforeLeaf(X509Certificate ca, List<X509Certificate> chain,
                                           String leafName) {
        X509Certificate leaf = chain.get(0);
        boolean issued = chain.stream().anyMatch(certificate -> TrustChain.signs(ca, certificate));
        if (!issued || !ca.getNotAfter().before(leaf.getNotAfter())) {
            return Optional.empty();
        }
        return Optional.of(Concern.warn(Reason.CA_EXPIRES_BEFORE_LEAF, "CA " + subject(ca)
                + " expires " + TimeText.at(ca.getNotAfter().toInstant()) + ", before "
                + leafName + " " + subject(leaf) + " it signed (expires "
                + TimeText.at(leaf.getNotAfter().toInstant()) + ", node clock "
                + TimeText.at(expiry.now()) + "); from then on the leaf is refused although it"
                + " is still valid: " + CA_RENEWAL));
    }

    private void judgeIntermediates(Verdict verdict, List<X509Certificate> presented) {
        for (X509Certificate intermediate : rest(presented)) {
            // A root the server sends along is ignored by Go; only the bundle's copy counts.
            if (!TrustChain.signs(intermediate, intermediate)) {
                expiry.judge(intermediate, "Intermediate CA " + subject(intermediate)
                        + " presented by the server", CA_RENEWAL, true).ifPresent(verdict::add);
            }
        }
    }

    private void serverDetails(Verdict verdict, List<X509Certificate> presented,
                               List<X509Certificate> trustBundle, String serverName,
                               TrustChain.Anchoring anchoring) {
        verdict.detail("serverName", serverName);
        verdict.detail("nodeClock", TimeText.at(expiry.now()));
        verdict.facts("", CertificateFacts.of(presented.get(0), CertificateRole.SERVER,
                serverName), expiry.now());
        verdict.detail("chainLength", String.valueOf(presented.size()));
        verdict.detail("anchor", anchoring.anchor().map(ca -> subject(ca) + " (SHA-256 "
                + CertificateFacts.fingerprint(ca) + ")").orElse("none"));
        if (anchoring.anchor().isEmpty()) {
            verdict.detail("verification", anchoring.failure());
        }
        verdict.detail("trustedCas", describeBundle(trustBundle));
    }

    private void judgeStrength(Verdict verdict, List<X509Certificate> presented) {
        X509Certificate leaf = presented.get(0);
        if (leaf.getPublicKey() instanceof RSAPublicKey rsa
                && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            verdict.add(Concern.critical(Reason.WEAK_KEY, "Server certificate " + subject(leaf)
                    + " carries an RSA key of " + rsa.getModulus().bitLength() + " bits, below"
                    + " the " + MIN_RSA_BITS + " bits any current baseline requires: re-issue"
                    + " hubble-server-certs with RSA 2048 or ECDSA P-256."));
        }
        GoKeyTypes.unsupported(leaf.getPublicKey()).ifPresent(type -> verdict.add(
                Concern.critical(Reason.UNSUPPORTED_KEY, "Server certificate " + subject(leaf)
                        + " carries a key of type " + type + ", which Relay cannot use: Go's TLS"
                        + " client accepts " + GoKeyTypes.SUPPORTED + " server keys only and"
                        + " aborts the handshake; re-issue hubble-server-certs with an RSA or"
                        + " ECDSA P-256 key.")));
        for (X509Certificate certificate : presented) {
            String algorithm = certificate.getSigAlgName().toUpperCase(Locale.ROOT);
            boolean selfSigned = TrustChain.signs(certificate, certificate);
            if (!selfSigned && (algorithm.contains("SHA1") || algorithm.contains("MD5"))) {
                verdict.add(Concern.critical(Reason.WEAK_SIGNATURE, (certificate == leaf
                        ? "Server certificate " : "Certificate presented by the server ")
                        + subject(certificate) + " is signed with " + certificate.getSigAlgName()
                        + ": Go rejects SHA-1 and MD5 signatures, so Relay refuses it; re-issue"
                        + " it signed with SHA-256."));
            }
        }
    }

    private static Concern unknownAuthority(X509Certificate leaf,
                                            List<X509Certificate> presented,
                                            List<X509Certificate> bundle) {
        String issuer = leaf.getIssuerX500Principal().getName();
        String issuerFacts = presented.stream()
                .filter(candidate -> TrustChain.signs(candidate, leaf))
                .findFirst()
                .map(candidate -> " (SHA-256 " + CertificateFacts.fingerprint(candidate) + ")")
                .orElse(TrustChain.authorityKeyId(leaf).map(id -> " (key id " + id + ")")
                        .orElse(""));
        boolean sameName = bundle.stream().anyMatch(ca -> ca.getSubjectX500Principal()
                .equals(leaf.getIssuerX500Principal()));
        boolean issuerSent = presented.stream().anyMatch(candidate -> candidate
                .getSubjectX500Principal().equals(leaf.getIssuerX500Principal()));
        String cause;
        if (sameName) {
            cause = "the bundle holds a CA of the same name with another key: the CA was"
                    + " regenerated on one side only";
        } else if (!issuerSent) {
            cause = "the server did not send the intermediate CA " + issuer + " that issued"
                    + " it, and the bundle lacks it: a server must send its intermediates"
                    + " after its certificate (hubble-server-certs' tls.crt holds the leaf,"
                    + " then the intermediate); if " + issuer + " is a root instead, the"
                    + " server and the relay use different CAs";
        } else {
            cause = "the server and the relay use different CAs (two installers each made"
                    + " one, or the CA was regenerated on one side only)";
        }
        return Concern.critical(Reason.UNKNOWN_AUTHORITY, "Server certificate "
                + subject(leaf) + " was issued by " + issuer + issuerFacts + ", but the relay"
                + " trusts only " + describeBundle(bundle) + ": " + cause + "; re-issue"
                + " hubble-server-certs from the relay's CA, or give the relay the server's CA"
                + " in hubble-relay-client-certs' ca.crt.");
    }

    private static String describeBundle(List<X509Certificate> bundle) {
        if (bundle.isEmpty()) {
            return "no CA (the bundle is empty)";
        }
        return bundle.stream().map(ca -> subject(ca) + " (SHA-256 "
                        + CertificateFacts.fingerprint(ca)
                        + TrustChain.subjectKeyId(ca).map(id -> ", key id " + id).orElse("")
                        + ")")
                .collect(Collectors.joining(", "));
    }

    /** Go's rule: no extended key usage extension, or one naming the usage or any usage. */
    private static boolean allows(X509Certificate certificate, String usage) {
        List<String> usages = CertificateFacts.of(certificate, CertificateRole.CA, "")
                .extendedKeyUsages();
        return usages.isEmpty() || usages.contains(usage) || usages.contains(ANY_USAGE);
    }

    private static List<String> usages(X509Certificate certificate) {
        return CertificateFacts.of(certificate, CertificateRole.CA, "").extendedKeyUsages();
    }

    private String until(X509Certificate certificate) {
        CertificateFacts facts = CertificateFacts.of(certificate, CertificateRole.CA, "");
        return TimeText.at(facts.notAfter()) + " (" + facts.daysLeft(expiry.now())
                + " days left)";
    }

    private String clock() {
        return "node clock " + TimeText.at(expiry.now());
    }

    private static List<X509Certificate> rest(List<X509Certificate> chain) {
        return chain.subList(1, chain.size());
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }
}
