package dev.modelvalidation.modelsigning.dsse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelvalidation.modelsigning.VerificationException;
import dev.modelvalidation.modelsigning.bundle.BundleParser;
import dev.modelvalidation.modelsigning.bundle.VerificationMaterial;
import dev.modelvalidation.modelsigning.keys.EcCurve;
import dev.modelvalidation.modelsigning.signature.SignatureTestData;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which PAE and hash each golden certificate signature uses (§7): only v0.2.0 needs the compat PAE; and how ECDSA verifies. */
class EcdsaDsseTest {
  @ParameterizedTest
  @CsvSource({
    "v0.2.0-certificate, false, true",
    "v0.3.1-certificate, true, false",
    "v1.1.0-certificate, true, false",
  })
  void goldensUseTheExpectedEncoding(String folder, boolean standardSha384, boolean compatSha256) throws Exception {
    var bundle = new BundleParser().parse(SignatureTestData.signature(folder));
    var chain = (VerificationMaterial.CertificateChain) bundle.verificationMaterial();
    PublicKey key = chain.leaf().getPublicKey();
    DsseEnvelope envelope = bundle.dsseEnvelope();
    byte[] sig = envelope.signatures().getFirst().sig();

    assertThat(verifies(key, "SHA384withECDSA", envelope.pae(), sig)).isEqualTo(standardSha384);
    assertThat(verifies(key, "SHA256withECDSA", Pae.encodeCompat(envelope.payloadType(), envelope.payload()), sig))
        .isEqualTo(compatSha256);
  }

  /**
   * EcdsaDsse verifies with BouncyCastle: it must accept what the JDK signs on every curve, and refuse a changed
   * payload, another key, r or s out of range, and a signature from another curve's key, as the JDK does.
   */
  @ParameterizedTest
  @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
  void verificationAgreesWithTheJdk(String curveName) throws Exception {
    KeyPair pair = keyPair(curveName);
    KeyPair other = keyPair(curveName);
    KeyPair otherCurve = keyPair(curveName.equals("secp256r1") ? "secp384r1" : "secp256r1");
    Random random = new Random(curveName.hashCode());
    for (int i = 0; i < 5; i++) {
      byte[] payload = new byte[1 + random.nextInt(3000)];
      random.nextBytes(payload);
      byte[] sig = EcdsaDsse.sign(pair.getPrivate(), "application/vnd.in-toto+json", payload);
      DsseEnvelope envelope = envelope(payload, sig);
      EcdsaDsse.verify(pair.getPublic(), envelope, CompatFallback.CURVE_HASH_THEN_SHA256);
      assertThat(verifies(pair.getPublic(), EcCurve.of(pair.getPublic()).signatureAlgorithm(), envelope.pae(), sig))
          .isTrue();

      byte[] changed = payload.clone();
      changed[random.nextInt(changed.length)] ^= 1;
      assertThatThrownBy(() -> EcdsaDsse.verify(pair.getPublic(), envelope(changed, sig), CompatFallback.CURVE_HASH_THEN_SHA256))
          .isInstanceOf(VerificationException.class);
      assertThatThrownBy(() -> EcdsaDsse.verify(other.getPublic(), envelope, CompatFallback.CURVE_HASH_THEN_SHA256))
          .isInstanceOf(VerificationException.class);
      assertThatThrownBy(() -> EcdsaDsse.verify(otherCurve.getPublic(), envelope, CompatFallback.CURVE_HASH_THEN_SHA256))
          .isInstanceOf(VerificationException.class);
    }
    BigInteger n = ((ECPublicKey) pair.getPublic()).getParams().getOrder();
    for (BigInteger[] rs : new BigInteger[][] {{BigInteger.ZERO, BigInteger.ONE}, {BigInteger.ONE, BigInteger.ZERO},
        {n, BigInteger.ONE}, {BigInteger.ONE, n}, {n.add(BigInteger.ONE), BigInteger.TWO}}) {
      byte[] sig = new DERSequence(new ASN1Encodable[] {new ASN1Integer(rs[0]), new ASN1Integer(rs[1])}).getEncoded();
      assertThatThrownBy(() -> EcdsaDsse.verify(pair.getPublic(), envelope(new byte[] {1}, sig), CompatFallback.CURVE_HASH_THEN_SHA256))
          .as("r=%s s=%s", rs[0], rs[1])
          .isInstanceOf(VerificationException.class)
          .hasMessageStartingWith("Signature verification failed");
    }
  }

  /**
   * r or s written as a negative DER INTEGER (the leading 0x00 of a value with its top bit set dropped): OpenSSL, so
   * Python, refuses it, while the JDK reads the bytes as unsigned. Refused here on every curve, as an encoding error.
   */
  @ParameterizedTest
  @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
  void negativeIntegersInTheSignatureAreRefused(String curveName) throws Exception {
    KeyPair pair = keyPair(curveName);
    byte[] payload = {1, 2, 3};
    int bits = ((ECPublicKey) pair.getPublic()).getParams().getOrder().bitLength();
    boolean droppedZeroTried = false;
    for (int attempt = 0; attempt < 200 && !droppedZeroTried; attempt++) {
      byte[] sig = EcdsaDsse.sign(pair.getPrivate(), "application/vnd.in-toto+json", payload);
      ASN1Sequence seq = ASN1Sequence.getInstance(sig);
      BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
      BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
      assertRefused(pair, payload, der(r, s.negate()));
      if (bits % 8 == 0 && r.bitLength() == bits) {
        // r's bytes without their leading 0x00: a negative INTEGER with the same magnitude bytes
        byte[] magnitude = java.util.Arrays.copyOfRange(r.toByteArray(), 1, r.toByteArray().length);
        ASN1Integer negativeR;
        try {
          negativeR = new ASN1Integer(magnitude);
        } catch (IllegalArgumentException e) {
          continue; // 0xFF then a byte >= 0x80 would not be minimal DER: try another signature
        }
        byte[] dropped =
            new DERSequence(new ASN1Encodable[] {negativeR, new ASN1Integer(s)}).getEncoded();
        assertThat(verifies(pair.getPublic(), EcCurve.of(pair.getPublic()).signatureAlgorithm(),
                envelope(payload, sig).pae(), dropped))
            .as("the JDK reads the bytes as unsigned and accepts")
            .isTrue();
        assertRefused(pair, payload, dropped);
        droppedZeroTried = true;
      }
    }
    assertThat(droppedZeroTried || bits % 8 != 0).as("an r with its top bit set among 200 signatures").isTrue();
  }

  private static KeyPair keyPair(String curveName) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec(curveName));
    return generator.generateKeyPair();
  }

  private static byte[] der(BigInteger r, BigInteger s) throws java.io.IOException {
    return new DERSequence(new ASN1Encodable[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded();
  }

  private static void assertRefused(KeyPair pair, byte[] payload, byte[] sig) {
    assertThatThrownBy(() -> EcdsaDsse.verify(pair.getPublic(), envelope(payload, sig), CompatFallback.CURVE_HASH_THEN_SHA256))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("is not a DER-encoded ECDSA signature");
  }

  private static DsseEnvelope envelope(byte[] payload, byte[] sig) {
    return new DsseEnvelope(payload, "application/vnd.in-toto+json", List.of(new DsseSignature(sig, null)));
  }

  private static boolean verifies(PublicKey key, String algorithm, byte[] data, byte[] sig) throws Exception {
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(key);
    verifier.update(data);
    return verifier.verify(sig);
  }
}
