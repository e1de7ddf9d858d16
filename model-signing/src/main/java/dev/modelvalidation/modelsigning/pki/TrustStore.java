package dev.modelvalidation.modelsigning.pki;

import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.keys.PemKeys;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificates a certificate-method verification trusts (§8.3): every certificate of the verify-time
 * {@code --certificate-chain} files. As with OpenSSL's default flags, only the self-signed ones are path anchors;
 * the others only help to build the path.
 *
 * <p>Without chain files, Python uses the {@code certifi} Mozilla web-PKI bundle. This implementation uses the JDK's
 * default trust store ({@code cacerts}) instead, which holds the same kind of web-PKI roots.
 *
 * @param certificates all trusted certificates, in file order
 */
public record TrustStore(List<X509Certificate> certificates) {
  public TrustStore {
    certificates = List.copyOf(certificates);
  }

  /** All certificates of the PEM files, in file order then in-file order. */
  public static TrustStore fromPemFiles(List<Path> chainFiles) throws ModelSigningException {
    if (chainFiles.isEmpty()) {
      return jdkDefault();
    }
    List<X509Certificate> certificates = new ArrayList<>();
    for (Path file : chainFiles) {
      certificates.addAll(PemKeys.readCertificates(file));
    }
    return new TrustStore(certificates);
  }

  /** The JDK's default trusted roots (the {@code cacerts} file of the running Java). */
  public static TrustStore jdkDefault() throws ModelSigningException {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      List<X509Certificate> roots = new ArrayList<>();
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          roots.addAll(Arrays.asList(x509.getAcceptedIssuers()));
        }
      }
      return new TrustStore(roots);
    } catch (GeneralSecurityException e) {
      throw new ModelSigningException("Cannot load the JDK default trust store: " + e.getMessage(), e);
    }
  }

  /** The self-signed certificates: the only ones a path may end in. */
  public List<X509Certificate> anchors() {
    return certificates.stream().filter(Certificates::isSelfSigned).toList();
  }
}
