package dev.modelvalidation.modelsigning.keys;

import dev.modelvalidation.modelsigning.ModelSigningException;
import java.security.Key;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The elliptic curves model signatures may use, each with the hash Python model_signing pairs with it (§7).
 */
public enum EcCurve {
  P256("secp256r1", "1.2.840.10045.3.1.7", "SHA-256", "SHA256withECDSA", "PKIX_ECDSA_P256_SHA_256"),
  P384("secp384r1", "1.3.132.0.34", "SHA-384", "SHA384withECDSA", "PKIX_ECDSA_P384_SHA_384"),
  P521("secp521r1", "1.3.132.0.35", "SHA-512", "SHA512withECDSA", "PKIX_ECDSA_P521_SHA_512");

  private final String curveName;
  private final ASN1ObjectIdentifier oid;
  private final String hashName;
  private final String signatureAlgorithm;
  private final String keyDetails;

  EcCurve(String curveName, String oid, String hashName, String signatureAlgorithm, String keyDetails) {
    this.curveName = curveName;
    this.oid = new ASN1ObjectIdentifier(oid);
    this.hashName = hashName;
    this.signatureAlgorithm = signatureAlgorithm;
    this.keyDetails = keyDetails;
  }

  /** The curve's SEC name, as Python's cryptography spells it ({@code secp384r1}). */
  public String curveName() {
    return curveName;
  }

  /** The named-curve object identifier. */
  public ASN1ObjectIdentifier oid() {
    return oid;
  }

  /** The JCA name of the curve's hash ({@code SHA-384}). */
  public String hashName() {
    return hashName;
  }

  /** The JCA ECDSA signature algorithm with the curve's hash ({@code SHA384withECDSA}). */
  public String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  /** The Sigstore {@code keyDetails} value older bundles wrote for this curve. */
  public String keyDetails() {
    return keyDetails;
  }

  /** The curve of an EC public or private key, or the exact Python errors for any other key. */
  public static EcCurve of(Key key) throws ModelSigningException {
    byte[] encoded = key.getEncoded();
    if (encoded == null) {
      throw new ModelSigningException("Only elliptic curve keys are supported");
    }
    AlgorithmIdentifier algorithm;
    try {
      // if/else rather than a type switch: its call site is linked at run time, not held by the AOT cache (~1.5 ms)
      if (key instanceof java.security.PublicKey) {
        algorithm = SubjectPublicKeyInfo.getInstance(encoded).getAlgorithm();
      } else if (key instanceof java.security.PrivateKey) {
        algorithm = PrivateKeyInfo.getInstance(encoded).getPrivateKeyAlgorithm();
      } else {
        throw new ModelSigningException("Only elliptic curve keys are supported");
      }
    } catch (IllegalArgumentException e) {
      throw new ModelSigningException("Only elliptic curve keys are supported");
    }
    return of(algorithm);
  }

  /** The curve named by a key's algorithm identifier (SPKI or PKCS#8). */
  public static EcCurve of(AlgorithmIdentifier algorithm) throws ModelSigningException {
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) {
      throw new ModelSigningException("Only elliptic curve keys are supported");
    }
    ASN1Encodable parameters = algorithm.getParameters();
    if (parameters == null || parameters instanceof org.bouncycastle.asn1.ASN1Null) {
      throw new ModelSigningException("Unsupported EC key: it does not name its curve");
    }
    if (!(parameters instanceof ASN1ObjectIdentifier curveOid)) {
      throw new ModelSigningException("Unsupported key for curve '<explicit parameters>'");
    }
    for (EcCurve curve : values()) {
      if (curve.oid.equals(curveOid)) {
        return curve;
      }
    }
    String name = ECNamedCurveTable.getName(curveOid);
    throw new ModelSigningException(
        "Unsupported key for curve '" + (name != null ? name : curveOid.getId()) + "'");
  }
}
