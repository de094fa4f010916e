package dev.hubbletls.agent.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Mints certificates the way Cilium's installers do. The demo, the tests and the
 * foreign-client probe (which needs a throwaway CA) all use it.
 */
public final class CertificateMint {

    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateMint() {
    }

    /** A self-signed CA certificate. */
    public static IssuedCertificate selfSigned(CertificateSpec spec) {
        KeyPair keys = spec.keyKind().generate();
        X500Name name = subject(spec);
        return new IssuedCertificate(sign(spec, name, keys, keys.getPrivate(), spec.keyKind()),
                keys, List.of());
    }

    /** A certificate for {@code spec}, signed by {@code issuer}. */
    public static IssuedCertificate issue(CertificateSpec spec, IssuedCertificate issuer) {
        return issue(spec, issuer, spec.keyKind().generate());
    }

    /**
     * A certificate for {@code spec} over an existing key pair, signed by {@code issuer}:
     * a renewal that keeps the key, as cert-manager does with {@code rotationPolicy: Never}.
     */
    public static IssuedCertificate issue(CertificateSpec spec, IssuedCertificate issuer,
                                          KeyPair keys) {
        X500Name issuerName = X500Name.getInstance(
                issuer.certificate().getSubjectX500Principal().getEncoded());
        KeyKind signerKind = kindOf(issuer.privateKey());
        X509Certificate certificate = sign(spec, issuerName, keys, issuer.privateKey(), signerKind);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(issuer.certificate());
        chain.addAll(issuer.chain());
        return new IssuedCertificate(certificate, keys, chain);
    }

    private static X509Certificate sign(CertificateSpec spec, X500Name issuer, KeyPair keys,
                                        PrivateKey signer, KeyKind signerKind) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(127, RANDOM).add(BigInteger.ONE),
                    Date.from(spec.notBefore()), Date.from(spec.notAfter()), subject(spec),
                    keys.getPublic());
            addExtensions(builder, spec, keys);
            ContentSigner contentSigner =
                    new JcaContentSignerBuilder(signerKind.signatureAlgorithm()).build(signer);
            return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot mint certificate " + spec.commonName(), e);
        }
    }

    private static void addExtensions(X509v3CertificateBuilder builder, CertificateSpec spec,
                                      KeyPair keys)
            throws CertIOException, GeneralSecurityException {
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                utils.createSubjectKeyIdentifier(keys.getPublic()));
        if (spec.ca()) {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign
                            | KeyUsage.digitalSignature));
            return;
        }
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        int keyUsage = KeyUsage.digitalSignature;
        if (spec.keyKind() == KeyKind.RSA_2048) {
            keyUsage |= KeyUsage.keyEncipherment;
        }
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        if (!spec.usages().isEmpty()) {
            builder.addExtension(Extension.extendedKeyUsage, false, extendedKeyUsage(spec));
        }
        GeneralNames altNames = altNames(spec);
        if (altNames != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, altNames);
        }
    }

    private static ExtendedKeyUsage extendedKeyUsage(CertificateSpec spec) {
        List<KeyPurposeId> purposes = new ArrayList<>();
        if (spec.usages().contains(CertificateSpec.Usage.SERVER_AUTH)) {
            purposes.add(KeyPurposeId.id_kp_serverAuth);
        }
        if (spec.usages().contains(CertificateSpec.Usage.CLIENT_AUTH)) {
            purposes.add(KeyPurposeId.id_kp_clientAuth);
        }
        return new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new));
    }

    private static GeneralNames altNames(CertificateSpec spec) {
        List<GeneralName> names = new ArrayList<>();
        spec.dnsNames().forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
        spec.ipAddresses().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        return names.isEmpty() ? null : new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static X500Name subject(CertificateSpec spec) {
        return new X500NameBuilder().addRDN(BCStyle.CN, spec.commonName()).build();
    }

    private static KeyKind kindOf(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> KeyKind.RSA_2048;
            case "EC" -> KeyKind.EC_P256;
            default -> KeyKind.ED25519;
        };
    }
}
