package dev.modelvalidation.operator.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the SSLContext built from {@code tls.crt} / {@code tls.key} in a directory (cert-manager
 * mode) and rebuilds it when the files' contents change. Kubernetes secret volumes swap a {@code
 * ..data} symlink, so the files are compared by content, not by mtime. A rotated pair that cannot
 * be used (e.g. half-written, key and certificate not matching) is logged and the previous context
 * stays in use. Thread-safe.
 */
public final class CertFileReloader implements Supplier<SSLContext>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CertFileReloader.class);

  public static final String CERT_FILE = "tls.crt";
  public static final String KEY_FILE = "tls.key";

  private record Loaded(byte[] cert, byte[] key, SSLContext context, ServingCertificate material) {}

  private final Path certFile;
  private final Path keyFile;
  private final AtomicReference<Loaded> current = new AtomicReference<>();
  private ScheduledExecutorService poller;

  public CertFileReloader(Path certDir) {
    Objects.requireNonNull(certDir, "certDir");
    this.certFile = certDir.resolve(CERT_FILE);
    this.keyFile = certDir.resolve(KEY_FILE);
  }

  /**
   * Loads the files for the first time.
   *
   * @throws TlsException if they are missing or unusable
   */
  public CertFileReloader load() {
    Loaded l = read();
    current.set(l);
    LOG.info("serving certificate loaded from {} (expires {})", certFile, l.material.notAfter());
    return this;
  }

  /**
   * Reloads if the files changed.
   *
   * @return true if a new certificate is now served
   */
  public boolean reloadIfChanged() {
    Loaded before = current.get();
    byte[] cert;
    byte[] key;
    try {
      cert = Files.readAllBytes(certFile);
      key = Files.readAllBytes(keyFile);
    } catch (IOException e) {
      LOG.warn("cannot read the serving certificate files in {}: {}", certFile.getParent(), e.toString());
      return false;
    }
    if (before != null && Arrays.equals(cert, before.cert) && Arrays.equals(key, before.key)) {
      return false;
    }
    try {
      Loaded l = build(cert, key);
      current.set(l);
      LOG.info("serving certificate reloaded from {} (expires {})", certFile, l.material.notAfter());
      return true;
    } catch (TlsException e) {
      LOG.warn("keeping the previous serving certificate: {}", e.getMessage());
      return false;
    }
  }

  /** Checks the files every {@code period} on a daemon thread. */
  public synchronized void startPolling(Duration period) {
    if (poller != null) {
      return;
    }
    poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "cert-file-reloader");
              t.setDaemon(true);
              return t;
            });
    long ms = period.toMillis();
    poller.scheduleWithFixedDelay(this::reloadIfChanged, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** The current context; null before {@link #load()}. */
  @Override
  public SSLContext get() {
    Loaded l = current.get();
    return l == null ? null : l.context;
  }

  /** Whether a certificate is loaded. */
  public boolean isLoaded() {
    return current.get() != null;
  }

  /** The certificate being served (null before {@link #load()}). */
  public ServingCertificate servingCertificate() {
    Loaded l = current.get();
    return l == null ? null : l.material;
  }

  @Override
  public synchronized void close() {
    if (poller != null) {
      poller.shutdownNow();
      poller = null;
    }
  }

  private Loaded read() {
    try {
      return build(Files.readAllBytes(certFile), Files.readAllBytes(keyFile));
    } catch (IOException e) {
      throw new TlsException(
          "cannot read " + CERT_FILE + " and " + KEY_FILE + " in " + certFile.getParent() + ": " + e);
    }
  }

  private static Loaded build(byte[] cert, byte[] key) {
    ServingCertificate material =
        new ServingCertificate(
            new String(cert, StandardCharsets.US_ASCII), new String(key, StandardCharsets.US_ASCII), "");
    return new Loaded(cert, key, material.toSslContext(), material);
  }
}
