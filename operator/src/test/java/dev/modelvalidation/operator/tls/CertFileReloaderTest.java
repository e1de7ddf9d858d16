package dev.modelvalidation.operator.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelvalidation.operator.api.ModelValidation;
import dev.modelvalidation.operator.webhook.AdmissionHandler;
import dev.modelvalidation.operator.webhook.AdmissionObserver;
import dev.modelvalidation.operator.webhook.AdmissionServer;
import dev.modelvalidation.operator.webhook.ModelValidationLookup;
import dev.modelvalidation.operator.webhook.WebhookSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertFileReloaderTest {

  @TempDir Path dir;

  static final ModelValidationLookup NO_CRS =
      new ModelValidationLookup() {
        @Override
        public Optional<ModelValidation> get(String namespace, String name) {
          return Optional.empty();
        }

        @Override
        public List<ModelValidation> list(String namespace) {
          return List.of();
        }
      };

  /** Writes a new CA + localhost certificate the way a secret volume does (via a ..data symlink). */
  ServingCertificate rotate(String generation) throws Exception {
    Path data = dir.resolve("..data_" + generation);
    ServingCertificate c = DevelopmentCertificate.writeTo(data, Instant.now());
    Path link = dir.resolve("..data");
    Path tmp = dir.resolve("..data_tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, data.getFileName());
    Files.move(tmp, link, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    for (String f : List.of("tls.crt", "tls.key")) {
      if (!Files.exists(dir.resolve(f), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(dir.resolve(f), Path.of("..data", f));
      }
    }
    return c;
  }

  static X509Certificate handshake(InetSocketAddress address, ServingCertificate trusted) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", Pem.certificates(trusted.caPem().getBytes(StandardCharsets.US_ASCII), "ca").get(0));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext client = SSLContext.getInstance("TLS");
    client.init(null, tmf.getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(address.getAddress(), address.getPort())) {
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  @Test
  void aRotatedCertificateIsServedToNewConnections() throws Exception {
    ServingCertificate first = rotate("1");
    try (CertFileReloader reloader = new CertFileReloader(dir).load()) {
      AdmissionHandler handler = new AdmissionHandler(WebhookSettings.defaults(false), NO_CRS,
          ns -> Optional.empty(), Clock.systemUTC(), AdmissionObserver.NONE);
      try (AdmissionServer server = new AdmissionServer(handler, reloader,
          new AdmissionServer.Options(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2, 8, 1 << 20))) {
        server.start();
        assertThat(handshake(server.address(), first)).isEqualTo(first.leaf());
        assertThat(reloader.reloadIfChanged()).isFalse();

        ServingCertificate second = rotate("2");
        assertThat(reloader.reloadIfChanged()).isTrue();
        assertThat(handshake(server.address(), second)).isEqualTo(second.leaf());
        assertThatThrownBy(() -> handshake(server.address(), first))
            .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
      }
    }
  }

  @Test
  void anUnusableRotationKeepsThePreviousCertificate() throws Exception {
    ServingCertificate first = rotate("1");
    try (CertFileReloader reloader = new CertFileReloader(dir).load()) {
      ServingCertificate other = DevelopmentCertificate.writeTo(dir.resolve("other"), Instant.now());
      Path data = dir.resolve("..data_1");
      Files.writeString(data.resolve("tls.key"), other.keyPem());

      assertThat(reloader.reloadIfChanged()).isFalse();
      assertThat(reloader.servingCertificate().leaf()).isEqualTo(first.leaf());
    }
  }

  /** cert-manager writes PKCS#1 keys by default: "RSA PRIVATE KEY" / "EC PRIVATE KEY". */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"RSA", "EC"})
  void readsKeysInTraditionalPem(String algorithm) throws Exception {
    var gen = java.security.KeyPairGenerator.getInstance(algorithm);
    gen.initialize(algorithm.equals("RSA") ? 2048 : 256);
    var keys = gen.generateKeyPair();
    var ca = Certificates.newKeyPair();
    X509Certificate caCert = Certificates.newCa(ca, "test-ca", Instant.now(), java.time.Duration.ofDays(1));
    X509Certificate leaf = Certificates.newServingCertificate(caCert, ca.getPrivate(), keys.getPublic(),
        List.of("localhost"), Instant.now(), java.time.Duration.ofDays(1));
    var writer = new java.io.StringWriter();
    try (var pem = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(writer)) {
      if (algorithm.equals("RSA")) {
        pem.writeObject(keys); // PKCS#1
      } else {
        // SEC1 with the curve and the public key, as openssl and cert-manager write it
        var spki = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256,
            ((java.security.interfaces.ECPrivateKey) keys.getPrivate()).getS(),
            spki.getPublicKeyData(), spki.getAlgorithm().getParameters());
        pem.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded()));
      }
    }
    assertThat(writer.toString()).contains("BEGIN " + algorithm + " PRIVATE KEY");
    Files.writeString(dir.resolve("tls.crt"), Pem.encode(leaf));
    Files.writeString(dir.resolve("tls.key"), writer.toString());

    try (CertFileReloader reloader = new CertFileReloader(dir).load()) {
      assertThat(reloader.servingCertificate().leaf()).isEqualTo(leaf);
      assertThat(reloader.get()).isNotNull();
    }
  }

  @Test
  void missingFilesAreAClearError() {
    assertThatThrownBy(() -> new CertFileReloader(dir).load())
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("tls.crt")
        .hasMessageContaining(dir.toString());
  }
}
