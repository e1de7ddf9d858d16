package dev.modelvalidation.operator.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Development mode ({@code OperatorMain --local}): a throw-away CA and a certificate for {@code
 * localhost} / {@code 127.0.0.1}, written as {@code tls.crt}, {@code tls.key} and {@code ca.crt}.
 */
public final class DevelopmentCertificate {

  private DevelopmentCertificate() {}

  /**
   * Creates the files in {@code dir} (created if missing) and returns what was written.
   *
   * @throws TlsException if the files cannot be written
   */
  public static ServingCertificate writeTo(Path dir, Instant now) {
    KeyPair caKeys = Certificates.newKeyPair();
    X509Certificate ca =
        Certificates.newCa(caKeys, "model-validation-dev-ca", now, Duration.ofDays(30));
    KeyPair keys = Certificates.newKeyPair();
    X509Certificate leaf =
        Certificates.newServingCertificate(
            ca, caKeys.getPrivate(), keys.getPublic(), List.of("localhost", "127.0.0.1"), now,
            Duration.ofDays(30));
    ServingCertificate c =
        new ServingCertificate(Pem.encode(leaf), Pem.encode(keys.getPrivate()), Pem.encode(ca));
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("ca.crt"), c.caPem(), StandardCharsets.US_ASCII);
      Files.writeString(dir.resolve(CertFileReloader.CERT_FILE), c.certPem(), StandardCharsets.US_ASCII);
      Path key = dir.resolve(CertFileReloader.KEY_FILE);
      Files.writeString(key, c.keyPem(), StandardCharsets.US_ASCII);
      try {
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: leave the default permissions
      }
    } catch (IOException e) {
      throw new TlsException("cannot write the development certificate to " + dir + ": " + e);
    }
    return c;
  }
}
