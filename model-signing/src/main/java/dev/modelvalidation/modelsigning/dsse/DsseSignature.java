package dev.modelvalidation.modelsigning.dsse;

/**
 * One DSSE signature.
 *
 * @param sig the signature bytes (ASN.1 DER ECDSA for the key and certificate methods)
 * @param keyid the key id as found, null when absent or JSON null; never used on read
 */
public record DsseSignature(byte[] sig, String keyid) {
  public DsseSignature {
    sig = sig.clone();
  }

  @Override
  public byte[] sig() {
    return sig.clone();
  }
}
