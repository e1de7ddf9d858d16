package dev.modelvalidation.operator.tls;

import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A serving key and certificate chain (leaf first), with the PEM texts they came from.
 *
 * @param certPem {@code tls.crt}
 * @param keyPem {@code tls.key}
 * @param caPem {@code ca.crt} (empty if unknown)
 */
public record ServingCertificate(String certPem, String keyPem, String caPem) {

  public ServingCertificate {
    Objects.requireNonNull(certPem, "certPem");
    Objects.requireNonNull(keyPem, "keyPem");
    caPem = caPem == null ? "" : caPem;
  }

  /** The chain in {@link #certPem()}, leaf first. */
  public List<X509Certificate> chain() {
    return Pem.certificates(certPem.getBytes(StandardCharsets.US_ASCII), "tls.crt");
  }

  /** The leaf certificate. */
  public X509Certificate leaf() {
    return chain().get(0);
  }

  /** The private key. */
  public PrivateKey key() {
    return Pem.privateKey(keyPem.getBytes(StandardCharsets.US_ASCII), "tls.key");
  }

  /** The leaf's expiry. */
  public Instant notAfter() {
    return leaf().getNotAfter().toInstant();
  }

  /**
   * A server SSLContext presenting this certificate.
   *
   * @throws TlsException if the key does not match the certificate or cannot be used
   */
  public SSLContext toSslContext() {
    List<X509Certificate> chain = chain();
    PrivateKey key = key();
    if (!Certificates.matches(key, chain.get(0).getPublicKey())) {
      throw new TlsException("tls.key does not belong to the certificate in tls.crt");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = "serving".toCharArray();
      store.setKeyEntry("serving", key, password, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (java.security.GeneralSecurityException | java.io.IOException e) {
      throw new TlsException("cannot build a TLS context from the certificate: " + e.getMessage(), e);
    }
  }
}
