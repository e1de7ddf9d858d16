package dev.modelvalidation.modelsigning.keys;

import dev.modelvalidation.modelsigning.ModelSigningException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The public key identifier of v1.1+ key bundles ({@code verificationMaterial.publicKey.hint}, §8.2): lowercase hex
 * of SHA-256 over the canonical PEM text of the key's SubjectPublicKeyInfo (named curve, uncompressed point, base64
 * in 64-character lines, every line ending in {@code \n}).
 */
public final class PublicKeyHint {
  private PublicKeyHint() {}

  /** The hint of an EC public key. */
  public static String of(PublicKey key) throws ModelSigningException {
    try {
      byte[] pem = canonicalPem(key).getBytes(StandardCharsets.US_ASCII);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pem));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }

  /** The canonical PEM text Python hashes: {@code -----BEGIN PUBLIC KEY-----\n…-----END PUBLIC KEY-----\n}. */
  public static String canonicalPem(PublicKey key) throws ModelSigningException {
    String base64 = Base64.getEncoder().encodeToString(EcKeys.canonical(key).getEncoded());
    StringBuilder pem = new StringBuilder("-----BEGIN PUBLIC KEY-----\n");
    for (int i = 0; i < base64.length(); i += 64) {
      pem.append(base64, i, Math.min(base64.length(), i + 64)).append('\n');
    }
    return pem.append("-----END PUBLIC KEY-----\n").toString();
  }
}
