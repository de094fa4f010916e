package dev.hubbletls.agent.hostile;

import dev.hubbletls.agent.testing.TestPki;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * Certificates and keys drawn from one seeded random source, so that a corpus built on
 * them holds the same bytes on every run and a failing case can be replayed. Valid around
 * {@link TestPki#NOW}; the product's mint draws from {@code SecureRandom} and cannot do this.
 */
final class SeededPki {

    static final String CLIENT_NAME = "*.hubble-relay.cilium.io";
    static final String SERVER_WILDCARD = "*.default.hubble-grpc.cilium.io";
    static final String SERVER_NAME = "demo-node.default.hubble-grpc.cilium.io";

    /** A certificate and the key pair it carries. */
    record Issued(X509Certificate certificate, KeyPair keys) {

        PrivateKey privateKey() {
            return keys.getPrivate();
        }
    }

    /** What a leaf or CA carries beyond the defaults, to make oversized fields. */
    record Extras(String subjectPadding, int extensionBytes, int extraDnsNames,
                  boolean garbledKeyIds) {

        static final Extras NONE = new Extras("", 0, 0, false);
    }

    private static final ASN1ObjectIdentifier PADDING_EXTENSION =
            new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.7.1");

    /** Bouncy Castle's OpenSSL ciphers, not registered with the JDK, as in PemWriter. */
    private static final BouncyCastleProvider BOUNCY_CASTLE = new BouncyCastleProvider();

    private static final String PBE = "PBEWithSHA1AndDESede";

    private final SecureRandom random;

    SeededPki(long seed) {
        try {
            random = SecureRandom.getInstance("SHA1PRNG");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        // Seeded before its first use, SHA1PRNG is a deterministic stream.
        random.setSeed(seed);
    }

    KeyPair keys(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            switch (algorithm) {
                case "RSA" -> generator.initialize(2048, random);
                case "EC" -> generator.initialize(new ECGenParameterSpec("secp256r1"), random);
                default -> generator.initialize(255, random);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    Issued authority(String name, KeyPair keys, Issued issuer, Extras extras) {
        return mint(name, keys, issuer, true, List.of(), extras);
    }

    Issued rootAuthority(String name) {
        return authority(name, keys("EC"), null, Extras.NONE);
    }

    Issued leaf(String name, KeyPair keys, Issued issuer, Extras extras) {
        return mint(name, keys, issuer, false, List.of(name), extras);
    }

    private Issued mint(String name, KeyPair keys, Issued issuer, boolean ca,
                        List<String> dnsNames, Extras extras) {
        try {
            X500Name subject = name(name, extras.subjectPadding());
            X500Name issuerName = issuer == null ? subject : X500Name.getInstance(
                    issuer.certificate().getSubjectX500Principal().getEncoded());
            PrivateKey signer = issuer == null ? keys.getPrivate() : issuer.privateKey();
            Instant from = TestPki.NOW.minus(Duration.ofDays(30));
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    new BigInteger(120, random).add(BigInteger.ONE), Date.from(from),
                    Date.from(from.plus(Duration.ofDays(ca ? 1000 : 365))), subject,
                    keys.getPublic());
            extensions(builder, keys, issuer, ca, dnsNames, extras);
            JcaContentSignerBuilder content = new JcaContentSignerBuilder(algorithm(signer))
                    .setSecureRandom(random);
            return new Issued(new JcaX509CertificateConverter().getCertificate(
                    builder.build(content.build(signer))), keys);
        } catch (Exception e) {
            throw new IllegalStateException("cannot mint " + name, e);
        }
    }

    private void extensions(X509v3CertificateBuilder builder, KeyPair keys, Issued issuer,
                            boolean ca, List<String> dnsNames, Extras extras) throws Exception {
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        if (extras.garbledKeyIds()) {
            // Well-formed DER on the outside, nonsense where a key identifier belongs: the
            // JDK keeps such a non-critical extension as unparseable instead of refusing it.
            byte[] garbage = {0x13, 0x03, 'x', 'y', 'z'};
            builder.addExtension(Extension.subjectKeyIdentifier, false, garbage);
            builder.addExtension(Extension.authorityKeyIdentifier, false, garbage);
        } else {
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(keys.getPublic()));
            if (issuer != null) {
                builder.addExtension(Extension.authorityKeyIdentifier, false,
                        utils.createAuthorityKeyIdentifier(issuer.certificate()));
            }
        }
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (!ca) {
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth,
                        KeyPurposeId.id_kp_clientAuth}));
        }
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        for (int i = 0; i < extras.extraDnsNames(); i++) {
            names.add(new GeneralName(GeneralName.dNSName, "node-" + i + ".padding.example"));
        }
        if (!names.isEmpty()) {
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(GeneralName[]::new)));
        }
        if (extras.extensionBytes() > 0) {
            byte[] padding = new byte[extras.extensionBytes()];
            random.nextBytes(padding);
            builder.addExtension(PADDING_EXTENSION, false, new DEROctetString(padding));
        }
    }

    /**
     * {@code key} as {@code ENCRYPTED PRIVATE KEY} under PKCS#12 PBE, whose IV derives from
     * the password and the salt, so the seed decides every byte.
     */
    String encryptedPkcs8(PrivateKey key) {
        try {
            byte[] salt = new byte[16];
            random.nextBytes(salt);
            Cipher cipher = Cipher.getInstance(PBE);
            cipher.init(Cipher.ENCRYPT_MODE, SecretKeyFactory.getInstance(PBE).generateSecret(
                    new PBEKeySpec("secret".toCharArray())), new PBEParameterSpec(salt, 1000));
            byte[] encrypted = new EncryptedPrivateKeyInfo(cipher.getParameters(),
                    cipher.doFinal(key.getEncoded())).getEncoded();
            return pem(() -> new PemObject("ENCRYPTED PRIVATE KEY", encrypted));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code key} as legacy OpenSSL PEM with {@code Proc-Type: 4,ENCRYPTED}, IV from the seed. */
    String legacyEncrypted(PrivateKey key) {
        try {
            return pem(new JcaMiscPEMGenerator(key, new JcePEMEncryptorBuilder("AES-128-CBC")
                    .setProvider(BOUNCY_CASTLE).setSecureRandom(random)
                    .build("secret".toCharArray())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(PemObjectGenerator generator) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static X500Name name(String commonName, String padding) {
        X500NameBuilder name = new X500NameBuilder().addRDN(BCStyle.CN, commonName);
        if (!padding.isEmpty()) {
            name.addRDN(BCStyle.OU, padding);
        }
        return name.build();
    }

    private static String algorithm(PrivateKey signer) {
        return switch (signer.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> "Ed25519";
        };
    }
}
