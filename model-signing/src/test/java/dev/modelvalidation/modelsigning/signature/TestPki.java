package dev.modelvalidation.modelsigning.signature;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Generates EC keys, CAs and leaf certificates with BouncyCastle for tests. */
public final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(1000);

  private TestPki() {}

  /** A fresh key pair on {@code secp256r1}, {@code secp384r1} or {@code secp521r1}. */
  public static KeyPair ecKeyPair(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An issued entity: its key pair and certificate. */
  public record Entity(KeyPair keys, X509Certificate certificate) {}

  /** A self-signed CA. */
  public static Entity selfSignedCa(String commonName) {
    return selfSignedCa(commonName, defaultNotBefore(), defaultNotAfter());
  }

  /** A self-signed CA with the given validity period. */
  public static Entity selfSignedCa(String commonName, Instant notBefore, Instant notAfter) {
    KeyPair keys = ecKeyPair("secp384r1");
    X500Name name = new X500Name("CN=" + commonName);
    return new Entity(
        keys,
        build(
            name,
            keys.getPublic(),
            name,
            keys.getPrivate(),
            true,
            KeyUsage.keyCertSign | KeyUsage.cRLSign,
            false,
            notBefore,
            notAfter));
  }

  /** An intermediate CA issued by {@code issuer}. */
  public static Entity intermediateCa(String commonName, Entity issuer) {
    KeyPair keys = ecKeyPair("secp384r1");
    return new Entity(
        keys,
        build(
            new X500Name("CN=" + commonName),
            keys.getPublic(),
            subject(issuer),
            issuer.keys().getPrivate(),
            true,
            KeyUsage.keyCertSign | KeyUsage.cRLSign,
            false,
            defaultNotBefore(),
            defaultNotAfter()));
  }

  /**
   * A leaf issued by {@code issuer}.
   *
   * @param keyUsage KeyUsage bits, or 0 for no KeyUsage extension
   * @param codeSigning whether to add ExtendedKeyUsage codeSigning (else an EKU with serverAuth only)
   */
  public static Entity leaf(String commonName, KeyPair keys, Entity issuer, int keyUsage, boolean codeSigning) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return leaf(commonName, keys, issuer, keyUsage, codeSigning, now.minus(1, ChronoUnit.HOURS), now.plus(30, ChronoUnit.DAYS));
  }

  /** A leaf with the given validity period. */
  public static Entity leaf(
      String commonName, KeyPair keys, Entity issuer, int keyUsage, boolean codeSigning, Instant notBefore, Instant notAfter) {
    return new Entity(
        keys,
        build(
            new X500Name("CN=" + commonName),
            keys.getPublic(),
            subject(issuer),
            issuer.keys().getPrivate(),
            false,
            keyUsage,
            codeSigning,
            notBefore,
            notAfter));
  }

  /** CAs are valid from ten years ago to a year from now. */
  private static Instant defaultNotBefore() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(3650, ChronoUnit.DAYS);
  }

  private static Instant defaultNotAfter() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(365, ChronoUnit.DAYS);
  }

  private static X500Name subject(Entity entity) {
    return X500Name.getInstance(entity.certificate().getSubjectX500Principal().getEncoded());
  }

  private static X509Certificate build(
      X500Name subject,
      PublicKey publicKey,
      X500Name issuer,
      PrivateKey issuerKey,
      boolean ca,
      int keyUsage,
      boolean codeSigning,
      Instant notBefore,
      Instant notAfter) {
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              publicKey);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (keyUsage != 0) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
      }
      if (!ca) {
        builder.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(codeSigning ? KeyPurposeId.id_kp_codeSigning : KeyPurposeId.id_kp_serverAuth));
      }
      String algorithm = issuerKey.getAlgorithm().equals("EC") ? "SHA384withECDSA" : "SHA256withRSA";
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PEM text of keys and certificates (SPKI, PKCS#8 or SEC1 as BouncyCastle writes them). */
  public static String pem(Object... objects) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      for (Object object : objects) {
        writer.writeObject(object);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  /** An SEC1 {@code EC PRIVATE KEY} PEM with the named curve and the public key, as OpenSSL writes it. */
  public static String sec1Pem(KeyPair keys) {
    try {
      var pkcs8 = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
      var spki = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
      var curve = (org.bouncycastle.asn1.ASN1ObjectIdentifier) pkcs8.getPrivateKeyAlgorithm().getParameters();
      var ecKey = (java.security.interfaces.ECPrivateKey) keys.getPrivate();
      int bits = ecKey.getParams().getOrder().bitLength();
      var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(bits, ecKey.getS(), spki.getPublicKeyData(), curve);
      return pem(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An {@code ENCRYPTED PRIVATE KEY} PEM (PKCS#8, PBES2 with AES-256-CBC). */
  public static String encryptedPkcs8Pem(PrivateKey key, char[] password) {
    try {
      var encryptor =
          new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
              .setProvider(new BouncyCastleProvider())
              .setPassword(password)
              .build();
      return pem(new JcaPKCS8Generator(key, encryptor));
    } catch (OperatorCreationException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes text to a file and returns the file. */
  public static Path write(Path file, String text) {
    try {
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
