package dev.modelvalidation.operator.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Creates EC P-256 keys, CA certificates and serving certificates (BouncyCastle builders). */
public final class Certificates {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Certificates() {}

  /** A fresh EC P-256 key pair. */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new TlsException("cannot create an EC P-256 key: " + e.getMessage(), e);
    }
  }

  /** A self-signed CA certificate. */
  public static X509Certificate newCa(KeyPair ca, String commonName, Instant now, Duration validity) {
    try {
      X500Name name = new X500Name("CN=" + commonName);
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              name, serial(), Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(validity)), name, ca.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(ca.getPublic()));
      return sign(b, ca.getPrivate());
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new TlsException("cannot create a CA certificate: " + e.getMessage(), e);
    }
  }

  /**
   * A TLS server certificate for the given DNS names and IP addresses, signed by the CA.
   *
   * @param hosts DNS names and IP literals (IP literals become IP SANs)
   */
  public static X509Certificate newServingCertificate(
      X509Certificate caCert, PrivateKey caKey, PublicKey subject, List<String> hosts,
      Instant now, Duration validity) {
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("a serving certificate needs at least one host name");
    }
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      Instant notAfter = now.plus(validity);
      if (notAfter.isAfter(caCert.getNotAfter().toInstant())) {
        notAfter = caCert.getNotAfter().toInstant();
      }
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              caCert, serial(), Date.from(now.minus(Duration.ofMinutes(5))), Date.from(notAfter),
              new X500Name("CN=" + hosts.get(0)), subject);
      List<GeneralName> names = new ArrayList<>();
      for (String h : hosts) {
        names.add(isIpLiteral(h)
            ? new GeneralName(GeneralName.iPAddress, h)
            : new GeneralName(GeneralName.dNSName, h));
      }
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      b.addExtension(
          Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subject));
      b.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
      return sign(b, caKey);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new TlsException("cannot create a serving certificate: " + e.getMessage(), e);
    }
  }

  /** The DNS names and IP addresses in a certificate's subjectAltName. */
  public static List<String> subjectAltNames(X509Certificate cert) {
    try {
      var sans = cert.getSubjectAlternativeNames();
      List<String> out = new ArrayList<>();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() >= 2 && san.get(1) instanceof String s) {
            out.add(s);
          }
        }
      }
      return out;
    } catch (java.security.cert.CertificateParsingException e) {
      return List.of();
    }
  }

  /** Whether the private key belongs to the public key (sign and verify a probe). */
  public static boolean matches(PrivateKey key, PublicKey pub) {
    String alg =
        switch (family(pub.getAlgorithm())) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (alg == null || !family(key.getAlgorithm()).equals(family(pub.getAlgorithm()))) {
      return alg == null;
    }
    try {
      byte[] probe = "model-validation".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(pub);
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** Key algorithm family: BouncyCastle's provider names EC keys "ECDSA", the JDK's "EC". */
  private static String family(String algorithm) {
    return algorithm.equals("ECDSA") ? "EC" : algorithm;
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws GeneralSecurityException {
    try {
      String alg = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder(alg).build(key)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static boolean isIpLiteral(String host) {
    return host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || host.matches("[0-9a-fA-F:]*:[0-9a-fA-F:.]*");
  }
}
