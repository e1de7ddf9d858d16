package dev.modelvalidation.modelsigning.keys;

import dev.modelvalidation.modelsigning.ModelSigningException;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.math.ec.ECPoint;

/** Conversions of EC keys between ASN.1 structures and JDK keys, restricted to the curves of {@link EcCurve}. */
public final class EcKeys {
  private EcKeys() {}

  /**
   * A JDK public key from a SubjectPublicKeyInfo, re-encoded with the named curve and an uncompressed point (the
   * form Python hashes for the key hint).
   */
  public static PublicKey publicKey(SubjectPublicKeyInfo spki) throws ModelSigningException {
    EcCurve curve = EcCurve.of(spki.getAlgorithm());
    X9ECParameters params = ECNamedCurveTable.getByOID(curve.oid());
    try {
      ECPoint point = params.getCurve().decodePoint(spki.getPublicKeyData().getOctets()).normalize();
      return publicKey(curve, point);
    } catch (IllegalArgumentException e) {
      throw new ModelSigningException("Invalid EC public key: the point is not on curve " + curve.curveName(), e);
    }
  }

  /** A JDK private key from a PKCS#8 PrivateKeyInfo. */
  public static PrivateKey privateKey(PrivateKeyInfo info) throws ModelSigningException {
    EcCurve.of(info.getPrivateKeyAlgorithm());
    try {
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    } catch (GeneralSecurityException | IOException e) {
      throw new ModelSigningException("Invalid EC private key: " + e.getMessage(), e);
    }
  }

  /** The public key of an EC private key: d·G on its curve. */
  public static PublicKey derivePublicKey(PrivateKey privateKey) throws ModelSigningException {
    EcCurve curve = EcCurve.of(privateKey);
    if (!(privateKey instanceof ECPrivateKey ecKey)) {
      throw new ModelSigningException("Only elliptic curve keys are supported");
    }
    BigInteger d = ecKey.getS();
    ECPoint q = ECNamedCurveTable.getByOID(curve.oid()).getG().multiply(d).normalize();
    return publicKey(curve, q);
  }

  private static PublicKey publicKey(EcCurve curve, ECPoint point) throws ModelSigningException {
    SubjectPublicKeyInfo canonical =
        new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve.oid()), point.getEncoded(false));
    try {
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(canonical.getEncoded()));
    } catch (GeneralSecurityException | IOException e) {
      throw new ModelSigningException("Invalid EC public key: " + e.getMessage(), e);
    }
  }

  /** Whether two public keys are the same key (same SubjectPublicKeyInfo after canonical re-encoding). */
  public static boolean sameKey(PublicKey a, PublicKey b) {
    try {
      return java.util.Arrays.equals(canonical(a).getEncoded(), canonical(b).getEncoded());
    } catch (ModelSigningException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The key re-encoded with a named curve and an uncompressed point; fails for non-EC keys. */
  public static PublicKey canonical(PublicKey key) throws ModelSigningException {
    byte[] encoded = key.getEncoded();
    if (encoded == null) {
      throw new ModelSigningException("Only elliptic curve keys are supported");
    }
    return publicKey(SubjectPublicKeyInfo.getInstance(encoded));
  }
}
