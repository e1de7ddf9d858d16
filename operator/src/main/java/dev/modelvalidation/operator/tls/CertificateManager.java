package dev.modelvalidation.operator.tls;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Self-managed webhook TLS: keeps a CA and a serving certificate in a Secret ({@code tls.crt},
 * {@code tls.key}, {@code ca.crt}, {@code ca.key}) and the CA in the {@code caBundle} of every webhook
 * of the MutatingWebhookConfiguration.
 *
 * <p>A valid Secret (parses, key matches, names the service, signed by its CA, more than {@link
 * Options#renewBefore()} left) is reused, so all replicas serve the same certificate. Otherwise a new
 * certificate ({@link Options#certValidity()}) is issued, by the Secret's CA while that CA (with its key
 * in {@code ca.key}) outlives the new certificate, so the {@code caBundle} does not change and the API
 * server trusts the new certificate at once; else by a new CA ({@link Options#caValidity()}). The Secret
 * is written with optimistic locking (a replica that loses the race adopts the winner's). After a new
 * CA the caBundle keeps the previous, still valid CA next to the new one so replicas that have not
 * reloaded yet stay trusted. {@link #start(Duration)} repeats the check periodically. Thread-safe.
 */
public final class CertificateManager implements Supplier<SSLContext>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CertificateManager.class);

  /** Common name of the CAs this manager creates (recognised in an existing caBundle). */
  public static final String CA_COMMON_NAME = "model-validation-webhook-ca";

  public static final String KEY_CERT = "tls.crt";
  public static final String KEY_KEY = "tls.key";
  public static final String KEY_CA = "ca.crt";
  public static final String KEY_CA_KEY = "ca.key";

  /**
   * Where and how long.
   *
   * @param namespace the operator namespace (Secret, Service)
   * @param secretName the Secret holding the certificate
   * @param serviceName the webhook Service (certificate DNS names)
   * @param webhookConfigName the MutatingWebhookConfiguration to patch
   * @param caValidity lifetime of a new CA
   * @param certValidity lifetime of a new serving certificate
   * @param renewBefore renew when less than this is left
   */
  public record Options(
      String namespace,
      String secretName,
      String serviceName,
      String webhookConfigName,
      Duration caValidity,
      Duration certValidity,
      Duration renewBefore) {

    public Options {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(secretName, "secretName");
      Objects.requireNonNull(serviceName, "serviceName");
      Objects.requireNonNull(webhookConfigName, "webhookConfigName");
      if (certValidity.compareTo(renewBefore) <= 0) {
        throw new IllegalArgumentException("certValidity must be longer than renewBefore");
      }
    }

    /** CA 10 years, certificate 1 year, renewed 30 days before expiry. */
    public static Options defaults(
        String namespace, String secretName, String serviceName, String webhookConfigName) {
      return new Options(
          namespace, secretName, serviceName, webhookConfigName,
          Duration.ofDays(3650), Duration.ofDays(365), Duration.ofDays(30));
    }

    /** {@code <service>.<ns>.svc} and {@code <service>.<ns>.svc.cluster.local}. */
    public List<String> dnsNames() {
      String base = serviceName + "." + namespace + ".svc";
      return List.of(base, base + ".cluster.local");
    }
  }

  private record Current(ServingCertificate certificate, SSLContext context) {}

  /** A CA certificate and its private key. */
  private record Authority(X509Certificate certificate, PrivateKey key) {}

  /** A freshly issued serving certificate and the key of the CA that issued it. */
  private record Issued(ServingCertificate serving, Authority authority, boolean newAuthority) {}

  private final KubernetesClient client;
  private final Options options;
  private final Clock clock;
  private final AtomicReference<Current> current = new AtomicReference<>();
  private ScheduledExecutorService scheduler;

  public CertificateManager(KubernetesClient client, Options options, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Makes sure a valid certificate is in the Secret, served, and trusted by the webhook
   * configuration.
   *
   * @return the certificate now served
   * @throws TlsException or KubernetesClientException if that cannot be achieved
   */
  public synchronized ServingCertificate ensureCertificate() {
    ServingCertificate chosen = ensureSecret();
    patchCaBundle(chosen);
    Current before = current.get();
    if (before == null || !before.certificate.equals(chosen)) {
      current.set(new Current(chosen, chosen.toSslContext()));
      LOG.info(
          "serving certificate from secret {}/{} in use (expires {})",
          options.namespace(), options.secretName(), chosen.notAfter());
    }
    return chosen;
  }

  /** Repeats {@link #ensureCertificate()} every {@code period} (errors are logged and retried). */
  public synchronized void start(Duration period) {
    if (scheduler != null) {
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "certificate-manager");
              t.setDaemon(true);
              return t;
            });
    long ms = period.toMillis();
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            ensureCertificate();
          } catch (RuntimeException e) {
            LOG.warn("self-managed certificate check failed (will retry): {}", e.getMessage());
          }
        },
        ms, ms, TimeUnit.MILLISECONDS);
  }

  @Override
  public SSLContext get() {
    Current c = current.get();
    return c == null ? null : c.context;
  }

  /** Whether a certificate is being served. */
  public boolean isLoaded() {
    return current.get() != null;
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  private ServingCertificate ensureSecret() {
    var secrets = client.secrets().inNamespace(options.namespace());
    for (int attempt = 0; attempt < 3; attempt++) {
      Secret existing = secrets.withName(options.secretName()).get();
      ServingCertificate found = existing == null ? null : fromSecret(existing);
      if (found != null && usable(found)) {
        return found;
      }
      Issued fresh = issue(existing);
      Secret desired =
          new SecretBuilder()
              .withMetadata(
                  new ObjectMetaBuilder()
                      .withName(options.secretName())
                      .withNamespace(options.namespace())
                      .withLabels(Map.of("app.kubernetes.io/name", "model-validation-operator"))
                      .build())
              .withType("kubernetes.io/tls")
              .withData(toData(fresh))
              .build();
      try {
        if (existing == null) {
          secrets.resource(desired).create();
          LOG.info("created secret {}/{} with a new CA and serving certificate",
              options.namespace(), options.secretName());
        } else {
          existing.setData(toData(fresh));
          existing.setType(existing.getType() == null ? "kubernetes.io/tls" : existing.getType());
          secrets.resource(existing).update(); // carries resourceVersion: optimistic lock
          LOG.info("renewed the certificate in secret {}/{} ({}), issued by {}", options.namespace(),
              options.secretName(), found == null ? "it was unusable" : "it expires " + found.notAfter(),
              fresh.newAuthority() ? "a new CA" : "the same CA");
        }
        return fresh.serving();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        LOG.info("another replica wrote secret {}/{} first; reading it again",
            options.namespace(), options.secretName());
      }
    }
    throw new TlsException("could not store a certificate in secret " + options.namespace() + "/"
        + options.secretName() + " after 3 attempts (conflicting writers)");
  }

  /** A new serving certificate, issued by the Secret's CA if it may still issue one, else by a new CA. */
  private Issued issue(Secret existing) {
    Instant now = clock.instant();
    Authority reusable = existing == null ? null : reusableAuthority(existing.getData(), now);
    if (reusable != null) {
      try {
        return issue(reusable, false, now);
      } catch (TlsException e) {
        LOG.warn("the CA in secret {}/{} cannot issue a certificate ({}); making a new CA", options.namespace(),
            options.secretName(), e.getMessage());
      }
    }
    KeyPair caKeys = Certificates.newKeyPair();
    Authority fresh =
        new Authority(Certificates.newCa(caKeys, CA_COMMON_NAME, now, options.caValidity()), caKeys.getPrivate());
    return issue(fresh, true, now);
  }

  private Issued issue(Authority authority, boolean newAuthority, Instant now) {
    KeyPair serving = Certificates.newKeyPair();
    X509Certificate leaf =
        Certificates.newServingCertificate(
            authority.certificate(), authority.key(), serving.getPublic(), options.dnsNames(), now,
            options.certValidity());
    try {
      leaf.verify(authority.certificate().getPublicKey());
    } catch (java.security.GeneralSecurityException e) {
      throw new TlsException("the new certificate does not verify with its CA: " + e.getMessage(), e);
    }
    ServingCertificate certificate =
        new ServingCertificate(
            Pem.encode(leaf), Pem.encode(serving.getPrivate()), Pem.encode(authority.certificate()));
    return new Issued(certificate, authority, newAuthority);
  }

  /**
   * The CA in the Secret ({@code ca.crt} with its key in {@code ca.key}), if it is like the ones this class makes
   * (self-signed, our common name, a CA, an EC key that belongs to it) and valid now and outlives a certificate
   * issued now; null otherwise (Secrets written before {@code ca.key} was kept, a CA about to expire, anything
   * unreadable or of another kind).
   */
  private Authority reusableAuthority(Map<String, String> data, Instant now) {
    if (data == null || data.get(KEY_CA) == null || data.get(KEY_CA_KEY) == null) {
      return null;
    }
    try {
      List<X509Certificate> cas =
          Pem.certificates(decode(data.get(KEY_CA)).getBytes(StandardCharsets.US_ASCII), KEY_CA);
      PrivateKey key = Pem.privateKey(decode(data.get(KEY_CA_KEY)).getBytes(StandardCharsets.US_ASCII), KEY_CA_KEY);
      X509Certificate ca = cas.get(0);
      boolean reusable =
          cas.size() == 1
              && namedAsOurCa(ca)
              && ca.getSubjectX500Principal().equals(ca.getIssuerX500Principal())
              && ca.getBasicConstraints() >= 0
              && ca.getPublicKey() instanceof java.security.interfaces.ECPublicKey
              && key instanceof java.security.interfaces.ECPrivateKey
              && Certificates.matches(key, ca.getPublicKey())
              && !ca.getNotBefore().toInstant().isAfter(now.plus(Duration.ofMinutes(10)))
              && !ca.getNotAfter().toInstant().isBefore(now.plus(options.certValidity()));
      if (!reusable) {
        return null;
      }
      ca.verify(ca.getPublicKey());
      return new Authority(ca, key);
    } catch (TlsException | IllegalArgumentException | java.security.GeneralSecurityException e) {
      return null;
    }
  }

  /** The certificate in the Secret, or null if a key is missing or unreadable. */
  private static ServingCertificate fromSecret(Secret secret) {
    Map<String, String> data = secret.getData();
    if (data == null) {
      return null;
    }
    try {
      String cert = decode(data.get(KEY_CERT));
      String key = decode(data.get(KEY_KEY));
      String ca = decode(data.get(KEY_CA));
      if (cert == null || key == null || ca == null) {
        return null;
      }
      return new ServingCertificate(cert, key, ca);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private boolean usable(ServingCertificate c) {
    try {
      X509Certificate leaf = c.leaf();
      if (!Certificates.matches(c.key(), leaf.getPublicKey())) {
        return false;
      }
      Instant now = clock.instant();
      if (leaf.getNotAfter().toInstant().minus(options.renewBefore()).isBefore(now)
          || leaf.getNotBefore().toInstant().isAfter(now.plus(Duration.ofMinutes(10)))) {
        return false;
      }
      if (!Certificates.subjectAltNames(leaf).containsAll(options.dnsNames())) {
        return false;
      }
      X509Certificate ca = Pem.certificates(c.caPem().getBytes(StandardCharsets.US_ASCII), "ca.crt").get(0);
      if (ca.getNotAfter().toInstant().isBefore(leaf.getNotAfter().toInstant())) {
        return false;
      }
      leaf.verify(ca.getPublicKey());
      return true;
    } catch (TlsException | java.security.GeneralSecurityException e) {
      return false;
    }
  }

  private void patchCaBundle(ServingCertificate chosen) {
    var resource =
        client.admissionRegistration().v1().mutatingWebhookConfigurations()
            .withName(options.webhookConfigName());
    MutatingWebhookConfiguration config = resource.get();
    if (config == null) {
      LOG.warn("MutatingWebhookConfiguration {} does not exist; caBundle not set",
          options.webhookConfigName());
      return;
    }
    X509Certificate ca =
        Pem.certificates(chosen.caPem().getBytes(StandardCharsets.US_ASCII), "ca.crt").get(0);
    boolean changed = false;
    for (MutatingWebhook webhook : config.getWebhooks() == null ? List.<MutatingWebhook>of() : config.getWebhooks()) {
      if (webhook.getClientConfig() == null) {
        continue;
      }
      String old = webhook.getClientConfig().getCaBundle();
      String bundle = Base64.getEncoder().encodeToString(bundle(ca, old).getBytes(StandardCharsets.US_ASCII));
      if (!bundle.equals(old)) {
        webhook.getClientConfig().setCaBundle(bundle);
        changed = true;
      }
    }
    if (changed) {
      client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(config).update();
      LOG.info("caBundle of MutatingWebhookConfiguration {} updated", options.webhookConfigName());
    }
  }

  /** The current CA, then at most one earlier still-valid CA of ours from the old bundle. */
  private String bundle(X509Certificate ca, String oldBase64) {
    StringBuilder out = new StringBuilder(Pem.encode(ca));
    if (oldBase64 == null || oldBase64.isBlank()) {
      return out.toString();
    }
    List<X509Certificate> previous = new ArrayList<>();
    try {
      byte[] pem = Base64.getDecoder().decode(oldBase64);
      previous.addAll(Pem.certificates(pem, "caBundle"));
    } catch (IllegalArgumentException | TlsException e) {
      return out.toString();
    }
    Instant now = clock.instant();
    for (X509Certificate p : previous) {
      if (!p.equals(ca)
          && namedAsOurCa(p)
          && p.getNotAfter().toInstant().isAfter(now)) {
        out.append(Pem.encode(p));
        break;
      }
    }
    return out.toString();
  }

  /** Whether the certificate carries the subject of the CAs this class makes. */
  private static boolean namedAsOurCa(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName().equals("CN=" + CA_COMMON_NAME);
  }

  private static Map<String, String> toData(Issued issued) {
    ServingCertificate c = issued.serving();
    Map<String, String> data = new LinkedHashMap<>();
    data.put(KEY_CERT, encode(c.certPem()));
    data.put(KEY_KEY, encode(c.keyPem()));
    data.put(KEY_CA, encode(c.caPem()));
    data.put(KEY_CA_KEY, encode(Pem.encode(issued.authority().key())));
    return data;
  }

  private static String encode(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static String decode(String b64) {
    return b64 == null ? null : new String(Base64.getDecoder().decode(b64), StandardCharsets.US_ASCII);
  }
}
