package dev.hubbletls.agent.bench.jmh;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The JDK's own cost for the primitives of a pass's handshakes, as its TLS stack uses them
 * (RSASSA-PSS with SHA-256 for RSA-2048 CertificateVerify, ECDSA P-256, X25519), to set
 * next to {@code openssl speed} for the same primitives.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CryptoJmh {

    private static final PSSParameterSpec PSS =
            new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);

    private final byte[] transcript = new byte[130];
    private KeyPair rsa;
    private KeyPair ec;
    private KeyPairGenerator x25519;
    private KeyPair peer;
    private byte[] rsaSignature;

    @Setup
    public void keys() throws GeneralSecurityException {
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        rsa = rsaGenerator.generateKeyPair();
        KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
        ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
        ec = ecGenerator.generateKeyPair();
        x25519 = KeyPairGenerator.getInstance("X25519");
        peer = x25519.generateKeyPair();
        rsaSignature = rsaPssSign();
    }

    @Benchmark
    public byte[] rsaPssSign() throws GeneralSecurityException {
        Signature signature = Signature.getInstance("RSASSA-PSS");
        signature.setParameter(PSS);
        signature.initSign(rsa.getPrivate());
        signature.update(transcript);
        return signature.sign();
    }

    @Benchmark
    public boolean rsaPssVerify() throws GeneralSecurityException {
        Signature signature = Signature.getInstance("RSASSA-PSS");
        signature.setParameter(PSS);
        signature.initVerify(rsa.getPublic());
        signature.update(transcript);
        return signature.verify(rsaSignature);
    }

    @Benchmark
    public byte[] ecdsaP256Sign() throws GeneralSecurityException {
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initSign(ec.getPrivate());
        signature.update(transcript);
        return signature.sign();
    }

    /** A key share and the shared secret: two X25519 scalar multiplications. */
    @Benchmark
    public byte[] x25519KeyShareAndSecret() throws GeneralSecurityException {
        KeyPair own = x25519.generateKeyPair();
        KeyAgreement agreement = KeyAgreement.getInstance("X25519");
        agreement.init(own.getPrivate());
        agreement.doPhase(peer.getPublic(), true);
        return agreement.generateSecret();
    }
}
