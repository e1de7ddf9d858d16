package dev.modelvalidation.modelsigning.dsse;

import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.VerificationException;
import dev.modelvalidation.modelsigning.keys.EcCurve;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * ECDSA over the DSSE PAE with the curve's hash and DER-encoded signatures (§7), for the key and certificate
 * methods.
 */
public final class EcdsaDsse {
  private EcdsaDsse() {}

  /** Signs the standard PAE of {@code (payloadType, payload)}; returns the DER signature. */
  public static byte[] sign(PrivateKey key, String payloadType, byte[] payload) throws ModelSigningException {
    EcCurve curve = EcCurve.of(key);
    try {
      Signature signer = Signature.getInstance(curve.signatureAlgorithm());
      signer.initSign(key);
      signer.update(Pae.encode(payloadType, payload));
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new ModelSigningException("Cannot sign with the " + curve.curveName() + " key: " + e.getMessage(), e);
    }
  }

  /**
   * Verifies the envelope's first signature with the key: standard PAE with the curve's hash, then the v0.2 compat
   * PAE with the hashes of {@code fallback}.
   *
   * @throws VerificationException naming what was tried when no variant verifies
   */
  public static void verify(PublicKey key, DsseEnvelope envelope, CompatFallback fallback)
      throws ModelSigningException {
    EcCurve curve = EcCurve.of(key);
    byte[] sig = envelope.signatures().getFirst().sig();
    requireDer(sig);
    if (verifies(key, curve, curve, envelope.pae(), sig)) {
      return;
    }
    Set<EcCurve> compatHashes = new LinkedHashSet<>(); // by the curve each hash goes with
    if (fallback == CompatFallback.CURVE_HASH_THEN_SHA256) {
      compatHashes.add(curve);
    }
    compatHashes.add(EcCurve.P256);
    List<String> compatAlgorithms = compatHashes.stream().map(EcCurve::signatureAlgorithm).toList();
    byte[] compatPae = Pae.encodeCompat(envelope.payloadType(), envelope.payload());
    for (EcCurve hashOf : compatHashes) {
      if (verifies(key, curve, hashOf, compatPae, sig)) {
        return;
      }
    }
    throw new VerificationException(
        "Signature verification failed: the DSSE signature does not match the payload with this "
            + curve.curveName()
            + " key (tried "
            + curve.signatureAlgorithm()
            + " over the DSSE PAE, and "
            + String.join(", ", compatAlgorithms)
            + " over the v0.2 compatibility PAE)");
  }

  /**
   * Whether {@code sig} (which passed {@link #requireDer}) is an ECDSA signature of {@code data} under the hash of
   * {@code hashOf}. P-256 keys are checked by BouncyCastle: for P-256 the JDK first precomputes a table of multiples
   * of the curve's generator in a class initializer, 120-130 ms of a short run under the C1 compiler the CLI runs
   * with, against 10-12 ms for BouncyCastle. Other curves by the JDK, which is the faster of the two for them (a
   * P-384 verify: ~25 against ~30 ms). Either way r and s out of range, or a point not on the curve, do not verify.
   */
  private static boolean verifies(PublicKey key, EcCurve keyCurve, EcCurve hashOf, byte[] data, byte[] sig)
      throws ModelSigningException {
    if (keyCurve != EcCurve.P256) {
      try {
        Signature verifier = Signature.getInstance(hashOf.signatureAlgorithm());
        verifier.initVerify(key);
        verifier.update(data);
        return verifier.verify(sig);
      } catch (InvalidKeyException e) {
        throw new ModelSigningException("Cannot verify with this key: " + e.getMessage(), e);
      } catch (GeneralSecurityException e) {
        return false;
      }
    }
    ECPublicKeyParameters publicKey = publicKeyParameters(key, keyCurve);
    if (publicKey == null) {
      return false; // a point off the curve verifies nothing (the JDK's answer for it too)
    }
    ASN1Sequence rs = ASN1Sequence.getInstance(sig);
    BigInteger r = ASN1Integer.getInstance(rs.getObjectAt(0)).getValue();
    BigInteger s = ASN1Integer.getInstance(rs.getObjectAt(1)).getValue();
    byte[] digest;
    try {
      digest = MessageDigest.getInstance(hashOf.hashName()).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, publicKey);
    return verifier.verifySignature(digest, r, s);
  }

  /** BouncyCastle's form of the key, or null when its point is not a valid point of its curve. */
  private static ECPublicKeyParameters publicKeyParameters(PublicKey key, EcCurve keyCurve)
      throws ModelSigningException {
    if (!(key instanceof ECPublicKey ec)) {
      throw new ModelSigningException("Cannot verify with this key: not an elliptic curve public key");
    }
    X9ECParameters curve = ECNamedCurveTable.getByOID(keyCurve.oid());
    try {
      return new ECPublicKeyParameters(
          curve.getCurve().createPoint(ec.getW().getAffineX(), ec.getW().getAffineY()),
          new ECDomainParameters(curve));
    } catch (IllegalArgumentException e) {
      return null; // not on the curve, or the point at infinity
    }
  }

  /**
   * Rejects a signature that is not a DER {@code SEQUENCE {INTEGER r, INTEGER s}} with nothing after it, r and s not
   * negative.
   */
  private static void requireDer(byte[] sig) throws ModelSigningException {
    boolean valid;
    try {
      ASN1Primitive parsed = ASN1Primitive.fromByteArray(sig);
      valid =
          parsed instanceof ASN1Sequence seq
              && seq.size() == 2
              && seq.getObjectAt(0) instanceof ASN1Integer r
              && seq.getObjectAt(1) instanceof ASN1Integer s
              && r.getValue().signum() >= 0 // a negative INTEGER is valid DER; OpenSSL (so Python) refuses it,
              && s.getValue().signum() >= 0 // the JDK reads its bytes as unsigned: refused here on every curve
              && java.util.Arrays.equals(parsed.getEncoded("DER"), sig);
    } catch (java.io.IOException | RuntimeException e) {
      valid = false;
    }
    if (!valid) {
      throw new VerificationException(
          "Invalid signature file: dsseEnvelope.signatures[0].sig is not a DER-encoded ECDSA signature ("
              + sig.length
              + " bytes; truncated or corrupted?)");
    }
  }
}
