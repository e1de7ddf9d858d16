package dev.modelvalidation.operator.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** PEM reading (certificates with the JDK, keys with BouncyCastle) and writing. */
public final class Pem {

  private Pem() {}

  /**
   * The certificates in a PEM text, in order.
   *
   * @throws TlsException if there is none or one is malformed
   */
  public static List<X509Certificate> certificates(byte[] pem, String what) {
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      List<X509Certificate> out = new ArrayList<>();
      for (var c : cf.generateCertificates(new ByteArrayInputStream(pem))) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new TlsException(what + " holds no PEM certificate");
      }
      return List.copyOf(out);
    } catch (CertificateException e) {
      throw new TlsException(what + " is not a PEM certificate: " + e.getMessage(), e);
    }
  }

  /**
   * The private key in a PEM text: PKCS#8 ({@code PRIVATE KEY}) or traditional ({@code EC PRIVATE
   * KEY}, {@code RSA PRIVATE KEY}).
   *
   * @throws TlsException if there is no unencrypted private key
   */
  public static PrivateKey privateKey(byte[] pem, String what) {
    try (PEMParser parser =
        new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      }
      throw new TlsException(what + " holds no unencrypted PEM private key");
    } catch (IOException | RuntimeException e) {
      if (e instanceof TlsException t) {
        throw t;
      }
      throw new TlsException(what + " is not a readable PEM private key: " + e.getMessage(), e);
    }
  }

  /** A certificate as PEM text. */
  public static String encode(X509Certificate certificate) {
    try {
      return block("CERTIFICATE", certificate.getEncoded());
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new TlsException("cannot encode certificate: " + e.getMessage(), e);
    }
  }

  /** A private key as PKCS#8 PEM text. */
  public static String encode(PrivateKey key) {
    return block("PRIVATE KEY", key.getEncoded());
  }

  private static String block(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
