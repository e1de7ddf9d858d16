package dev.modelvalidation.modelsigning.signature;

import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.bundle.BundleWriter;
import dev.modelvalidation.modelsigning.bundle.SignatureBundle;
import dev.modelvalidation.modelsigning.bundle.VerificationMaterial;
import dev.modelvalidation.modelsigning.dsse.DsseEnvelope;
import dev.modelvalidation.modelsigning.dsse.DsseSignature;
import dev.modelvalidation.modelsigning.dsse.EcdsaDsse;
import dev.modelvalidation.modelsigning.keys.EcCurve;
import dev.modelvalidation.modelsigning.keys.EcKeys;
import dev.modelvalidation.modelsigning.keys.PemKeys;
import dev.modelvalidation.modelsigning.keys.PublicKeyHint;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;

/**
 * Signs with the {@code key} method (§8.2): ECDSA with the curve's hash over the DSSE PAE; the bundle carries the
 * public key hint, as model_signing 1.1+ writes it.
 */
public final class KeyPayloadSigner implements PayloadSigner {
  private final BundleWriter writer = new BundleWriter();
  private final PrivateKey privateKey;
  private final String hint;

  /** A signer for an EC P-256, P-384 or P-521 private key. */
  public KeyPayloadSigner(PrivateKey privateKey) throws ModelSigningException {
    EcCurve.of(privateKey);
    this.privateKey = privateKey;
    this.hint = PublicKeyHint.of(EcKeys.derivePublicKey(privateKey));
  }

  /**
   * A signer for the private key in a PEM file (SEC1, PKCS#8 or encrypted PKCS#8).
   *
   * @param password for an encrypted key, else null
   */
  public static KeyPayloadSigner fromPemFile(Path privateKeyPem, char[] password) throws ModelSigningException {
    return new KeyPayloadSigner(PemKeys.readPrivateKey(privateKeyPem, password));
  }

  /** The hint written into bundles. */
  public String keyHint() {
    return hint;
  }

  @Override
  public byte[] sign(byte[] statementPayload) throws ModelSigningException {
    byte[] sig = EcdsaDsse.sign(privateKey, IN_TOTO_PAYLOAD_TYPE, statementPayload);
    DsseEnvelope envelope =
        new DsseEnvelope(statementPayload, IN_TOTO_PAYLOAD_TYPE, List.of(new DsseSignature(sig, "")));
    return writer.write(SignatureBundle.of(new VerificationMaterial.KeyHint(hint), envelope));
  }
}
