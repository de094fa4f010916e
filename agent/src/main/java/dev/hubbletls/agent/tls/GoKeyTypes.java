package dev.hubbletls.agent.tls;

import java.security.PublicKey;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The certificate key types Go's crypto/tls can use, as Hubble and Relay run it: Java also
 * accepts Ed448, DSA and RSA keys restricted to PSS, with which Go fails the handshake.
 */
public final class GoKeyTypes {

    /** What Go supports, for messages. */
    public static final String SUPPORTED = "RSA, ECDSA P-256/P-384/P-521 and Ed25519";

    private static final Set<ASN1ObjectIdentifier> CURVES = Set.of(SECObjectIdentifiers.secp256r1,
            SECObjectIdentifiers.secp384r1, SECObjectIdentifiers.secp521r1);
    private static final Map<ASN1ObjectIdentifier, String> KNOWN_UNSUPPORTED = Map.of(
            EdECObjectIdentifiers.id_Ed448, "Ed448",
            X9ObjectIdentifiers.id_dsa, "DSA",
            PKCSObjectIdentifiers.id_RSASSA_PSS, "RSASSA-PSS (an RSA key bound to PSS by its"
                    + " algorithm identifier)",
            EdECObjectIdentifiers.id_X25519, "X25519",
            EdECObjectIdentifiers.id_X448, "X448");

    private GoKeyTypes() {
    }

    /** The type of {@code key} when Go cannot use it, by its algorithm identifier. */
    public static Optional<String> unsupported(PublicKey key) {
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(key.getEncoded());
        } catch (RuntimeException e) {
            return Optional.of(key.getAlgorithm() + " (an undecodable public key)");
        }
        ASN1ObjectIdentifier algorithm = info.getAlgorithm().getAlgorithm();
        if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)
                || algorithm.equals(EdECObjectIdentifiers.id_Ed25519)) {
            return Optional.empty();
        }
        if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            return curve(info.getAlgorithm().getParameters());
        }
        return Optional.of(KNOWN_UNSUPPORTED.getOrDefault(algorithm,
                key.getAlgorithm() + " (" + algorithm.getId() + ")"));
    }

    private static Optional<String> curve(ASN1Encodable parameters) {
        if (parameters instanceof ASN1ObjectIdentifier named) {
            if (CURVES.contains(named)) {
                return Optional.empty();
            }
            String name = ECNamedCurveTable.getName(named);
            return Optional.of("ECDSA on curve " + (name == null ? named.getId() : name));
        }
        return Optional.of("ECDSA with explicit curve parameters");
    }
}
