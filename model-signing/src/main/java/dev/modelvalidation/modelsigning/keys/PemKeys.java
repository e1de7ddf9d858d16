package dev.modelvalidation.modelsigning.keys;

import dev.modelvalidation.modelsigning.ModelSigningException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Loads EC keys and X.509 certificates from PEM files, as Python's {@code cryptography} does: text around the PEM
 * blocks is ignored; public keys are SubjectPublicKeyInfo ({@code PUBLIC KEY}); private keys are SEC1
 * ({@code EC PRIVATE KEY}, optionally OpenSSL-encrypted), PKCS#8 ({@code PRIVATE KEY}) or encrypted PKCS#8
 * ({@code ENCRYPTED PRIVATE KEY}). Only P-256, P-384 and P-521 keys load.
 */
public final class PemKeys {
  private PemKeys() {}

  /** The EC public key of a {@code PUBLIC KEY} PEM file. */
  public static PublicKey readPublicKey(Path file) throws ModelSigningException {
    return parsePublicKey(PemObjects.readText(file, "public key"), file.toString());
  }

  /** The EC public key of {@code PUBLIC KEY} PEM text; {@code source} names it in errors. */
  public static PublicKey parsePublicKey(String pemText, String source) throws ModelSigningException {
    for (Object object : PemObjects.parseAll(pemText, source)) {
      if (object instanceof SubjectPublicKeyInfo spki) {
        return EcKeys.publicKey(spki);
      }
      if (object instanceof X509CertificateHolder) {
        throw new ModelSigningException(
            source + " holds a certificate, not a public key (expected -----BEGIN PUBLIC KEY-----)");
      }
    }
    throw new ModelSigningException("No PEM public key (-----BEGIN PUBLIC KEY-----) found in " + source);
  }

  /**
   * The EC private key of a PEM file.
   *
   * @param password for an encrypted key; may be null for an unencrypted one
   */
  public static PrivateKey readPrivateKey(Path file, char[] password) throws ModelSigningException {
    return parsePrivateKey(PemObjects.readText(file, "private key"), password, file.toString());
  }

  /** The EC private key of PEM text; {@code source} names it in errors. */
  public static PrivateKey parsePrivateKey(String pemText, char[] password, String source)
      throws ModelSigningException {
    for (Object object : PemObjects.parseAll(pemText, source)) {
      switch (object) {
        case PEMKeyPair pair -> {
          return EcKeys.privateKey(pair.getPrivateKeyInfo());
        }
        case PrivateKeyInfo info -> {
          return EcKeys.privateKey(info);
        }
        case PKCS8EncryptedPrivateKeyInfo encrypted -> {
          return EcKeys.privateKey(decrypt(encrypted, requirePassword(password, source), source));
        }
        case PEMEncryptedKeyPair encrypted -> {
          return EcKeys.privateKey(decrypt(encrypted, requirePassword(password, source), source));
        }
        default -> {
          // not a private key: keep looking
        }
      }
    }
    throw new ModelSigningException(
        "No PEM private key (EC PRIVATE KEY, PRIVATE KEY or ENCRYPTED PRIVATE KEY) found in " + source);
  }

  /** Every certificate in a PEM file, in file order; at least one. */
  public static List<X509Certificate> readCertificates(Path file) throws ModelSigningException {
    return parseCertificates(PemObjects.readText(file, "certificate file"), file.toString());
  }

  /** Every certificate in PEM text, in order; at least one. */
  public static List<X509Certificate> parseCertificates(String pemText, String source)
      throws ModelSigningException {
    List<X509Certificate> certificates = new ArrayList<>();
    for (Object object : PemObjects.parseAll(pemText, source)) {
      if (object instanceof X509CertificateHolder holder) {
        try {
          certificates.add(certificate(holder.getEncoded()));
        } catch (IOException e) {
          throw new ModelSigningException("Invalid certificate in " + source + ": " + e.getMessage(), e);
        }
      }
    }
    if (certificates.isEmpty()) {
      throw new ModelSigningException("No PEM certificate (-----BEGIN CERTIFICATE-----) found in " + source);
    }
    return List.copyOf(certificates);
  }

  /** An X.509 certificate from its DER bytes. */
  public static X509Certificate certificate(byte[] der) throws ModelSigningException {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new ModelSigningException(
          "not a DER X.509 certificate (" + PemObjects.oneLine(String.valueOf(e.getMessage())) + ")", e);
    }
  }

  private static char[] requirePassword(char[] password, String source) throws ModelSigningException {
    if (password == null) {
      throw new ModelSigningException("The private key in " + source + " is encrypted: a password is required");
    }
    return password;
  }

  private static PrivateKeyInfo decrypt(PKCS8EncryptedPrivateKeyInfo encrypted, char[] password, String source)
      throws ModelSigningException {
    try {
      return encrypted.decryptPrivateKeyInfo(
          new JceOpenSSLPKCS8DecryptorProviderBuilder()
              .setProvider(new BouncyCastleProvider())
              .build(password));
    } catch (PKCSException | OperatorCreationException | RuntimeException e) {
      throw wrongPassword(source, e);
    }
  }

  private static PrivateKeyInfo decrypt(PEMEncryptedKeyPair encrypted, char[] password, String source)
      throws ModelSigningException {
    try {
      PEMKeyPair pair =
          encrypted.decryptKeyPair(
              new JcePEMDecryptorProviderBuilder().setProvider(new BouncyCastleProvider()).build(password));
      return pair.getPrivateKeyInfo();
    } catch (IOException | RuntimeException e) {
      throw wrongPassword(source, e);
    }
  }

  private static ModelSigningException wrongPassword(String source, Exception cause) {
    return new ModelSigningException(
        "Cannot decrypt the private key in " + source + ": wrong password or unsupported encryption ("
            + PemObjects.oneLine(String.valueOf(cause.getMessage()))
            + ")",
        cause);
  }
}
