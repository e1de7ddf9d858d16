package dev.modelvalidation.modelsigning.dsse;

import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.VerificationException;
import dev.modelvalidation.modelsigning.keys.EcCurve;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.LinkedHashSet;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

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
    if (verifies(key, curve.signatureAlgorithm(), envelope.pae(), sig)) {
      return;
    }
    Set<String> compatAlgorithms = new LinkedHashSet<>();
    if (fallback == CompatFallback.CURVE_HASH_THEN_SHA256) {
      compatAlgorithms.add(curve.signatureAlgorithm());
    }
    compatAlgorithms.add(EcCurve.P256.signatureAlgorithm());
    byte[] compatPae = Pae.encodeCompat(envelope.payloadType(), envelope.payload());
    for (String algorithm : compatAlgorithms) {
      if (verifies(key, algorithm, compatPae, sig)) {
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

  private static boolean verifies(PublicKey key, String algorithm, byte[] data, byte[] sig)
      throws ModelSigningException {
    try {
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(sig);
    } catch (InvalidKeyException e) {
      throw new ModelSigningException("Cannot verify with this key: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** Rejects a signature that is not a DER {@code SEQUENCE {INTEGER r, INTEGER s}} with nothing after it. */
  private static void requireDer(byte[] sig) throws ModelSigningException {
    boolean valid;
    try {
      ASN1Primitive parsed = ASN1Primitive.fromByteArray(sig);
      valid =
          parsed instanceof ASN1Sequence seq
              && seq.size() == 2
              && seq.getObjectAt(0) instanceof ASN1Integer
              && seq.getObjectAt(1) instanceof ASN1Integer
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
