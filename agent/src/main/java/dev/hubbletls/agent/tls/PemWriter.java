package dev.hubbletls.agent.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.io.pem.PemObject;

/** Writes certificates and keys as PEM text, in each format installers use. */
public final class PemWriter {

    /** Bouncy Castle's OpenSSL-compatible ciphers, not registered with the JDK on purpose. */
    private static final BouncyCastleProvider BOUNCY_CASTLE = new BouncyCastleProvider();

    private PemWriter() {
    }

    /** The certificates as consecutive {@code CERTIFICATE} blocks. */
    public static String certificates(List<X509Certificate> certificates) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (X509Certificate certificate : certificates) {
                writer.writeObject(certificate);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /**
     * The key in the given format. PKCS#1 takes only RSA keys and SEC1 only EC keys; the
     * encrypted form uses {@code password}, which is ignored otherwise.
     */
    public static String privateKey(PrivateKey key, KeyFormat format, char[] password) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(encode(key, format, password));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot encrypt key", e);
        }
        return text.toString();
    }

    /** The key in the given unencrypted format. */
    public static String privateKey(PrivateKey key, KeyFormat format) {
        return privateKey(key, format, new char[0]);
    }

    private static Object encode(PrivateKey key, KeyFormat format, char[] password)
            throws IOException, OperatorCreationException {
        return switch (format) {
            case PKCS1 -> traditional(key, "RSA");
            case SEC1 -> traditional(key, "EC");
            case PKCS8 -> new JcaPKCS8Generator(key, null).generate();
            case PKCS8_ENCRYPTED -> new JcaPKCS8Generator(key,
                    new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                            .setProvider(BOUNCY_CASTLE)
                            .setPassword(password).build()).generate();
        };
    }

    private static PemObject traditional(PrivateKey key, String algorithm) throws IOException {
        if (!algorithm.equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("cannot write a " + key.getAlgorithm()
                    + " key in the " + algorithm + "-only format");
        }
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        String type = algorithm + " PRIVATE KEY";
        ASN1Encodable body = "EC".equals(algorithm) ? withCurve(info) : info.parsePrivateKey();
        return new PemObject(type, body.toASN1Primitive().getEncoded());
    }

    /**
     * SEC1 as OpenSSL and Go write it, naming its curve inside: the JDK's PKCS#8 keeps
     * the curve only in the outer algorithm identifier, and Go cannot read SEC1 without it.
     */
    private static ECPrivateKey withCurve(PrivateKeyInfo info) throws IOException {
        ECPrivateKey bare = ECPrivateKey.getInstance(info.parsePrivateKey());
        return new ECPrivateKey(bare.getPrivateKey(),
                info.getPrivateKeyAlgorithm().getParameters(), bare.getPublicKey());
    }
}
