package dev.modelvalidation.operator.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelvalidation.operator.deploy.RbacRules;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class CertificateManagerTest {

  static final String NS = "model-validation-system";
  static final String SECRET = "model-validation-webhook-server-cert";
  static final String WEBHOOK_CONFIG = "model-validation-mutating-webhook-configuration";
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  KubernetesClient client;
  KubernetesMockServer server;

  @BeforeEach
  void webhookConfiguration() {
    MutatingWebhookConfiguration config =
        new MutatingWebhookConfigurationBuilder()
            .withNewMetadata().withName(WEBHOOK_CONFIG).endMetadata()
            .addNewWebhook()
            .withName("pods.validation.ml.sigstore.dev")
            .withAdmissionReviewVersions("v1")
            .withSideEffects("None")
            .withNewClientConfig()
            .withNewService().withName("model-validation-webhook-service").withNamespace(NS)
            .withPath("/mutate-v1-pod").endService()
            .endClientConfig()
            .endWebhook()
            .build();
    client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(config).create();
  }

  CertificateManager manager(Instant now) {
    return new CertificateManager(
        client,
        CertificateManager.Options.defaults(NS, SECRET, "model-validation-webhook-service", WEBHOOK_CONFIG),
        Clock.fixed(now, ZoneOffset.UTC));
  }

  Secret secret() {
    return client.secrets().inNamespace(NS).withName(SECRET).get();
  }

  static String decode(String b64) {
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.US_ASCII);
  }

  List<X509Certificate> caBundle() {
    String bundle = client.admissionRegistration().v1().mutatingWebhookConfigurations()
        .withName(WEBHOOK_CONFIG).get().getWebhooks().get(0).getClientConfig().getCaBundle();
    return bundle == null ? List.of() : Pem.certificates(Base64.getDecoder().decode(bundle), "caBundle");
  }

  /** The self-managed mode's Role and ClusterRole grant what the manager does, and no more is needed. */
  @Test
  void createsAndRenewsWithOnlyTheVerbsTheSelfManagedRbacGrants() throws Exception {
    RbacRules rbac = RbacRules.of(
        "config/components/self-managed-tls/secret_role.yaml",
        "config/components/self-managed-tls/webhook_config_role.yaml");
    try (CertificateManager m = manager(NOW)) {
      m.ensureCertificate();
    }
    try (CertificateManager m = manager(NOW.plus(java.time.Duration.ofDays(340)))) {
      m.ensureCertificate(); // renewal
    }
    try (CertificateManager m = manager(NOW.plus(java.time.Duration.ofDays(10 * 366)))) {
      m.ensureCertificate(); // a new CA: the caBundle changes
    }
    // the requests are recorded in order; both checks read the same queue, so split it by resource
    List<io.fabric8.mockwebserver.http.RecordedRequest> all = new java.util.ArrayList<>();
    for (io.fabric8.mockwebserver.http.RecordedRequest r;
        (r = server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS)) != null; ) {
      all.add(r);
    }
    java.util.Set<String> verbs = new java.util.TreeSet<>();
    for (var r : all) {
      String path = r.getPath().replaceFirst("\\?.*", "");
      String verb = switch (r.getMethod()) {
        case "GET" -> path.endsWith("/secrets") || path.endsWith("/mutatingwebhookconfigurations") ? "list" : "get";
        case "POST" -> "create";
        case "PUT" -> "update";
        case "PATCH" -> "patch";
        default -> r.getMethod().toLowerCase(java.util.Locale.ROOT);
      };
      if (path.contains("/secrets")) {
        String name = path.endsWith("/secrets") ? null : path.substring(path.lastIndexOf('/') + 1);
        assertThat(rbac.allows("", "secrets", name, verb)).as("%s %s", r.getMethod(), path).isTrue();
        verbs.add("secrets:" + verb);
      } else if (path.contains("/mutatingwebhookconfigurations") && !r.getMethod().equals("POST")) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        assertThat(rbac.allows("admissionregistration.k8s.io", "mutatingwebhookconfigurations", name, verb))
            .as("%s %s", r.getMethod(), path).isTrue();
        verbs.add("webhook:" + verb);
      }
    }
    assertThat(verbs).contains("secrets:get", "secrets:create", "secrets:update", "webhook:get", "webhook:update");
  }

  @Test
  void createsTheSecretAndPatchesTheCaBundle() throws Exception {
    try (CertificateManager m = manager(NOW)) {
      ServingCertificate served = m.ensureCertificate();

      Secret s = secret();
      assertThat(s.getData()).containsKeys("tls.crt", "tls.key", "ca.crt");
      assertThat(decode(s.getData().get("tls.crt"))).isEqualTo(served.certPem());
      X509Certificate leaf = served.leaf();
      X509Certificate ca = Pem.certificates(decode(s.getData().get("ca.crt")).getBytes(StandardCharsets.US_ASCII), "ca").get(0);
      leaf.verify(ca.getPublicKey());
      assertThat(Certificates.subjectAltNames(leaf)).contains(
          "model-validation-webhook-service.model-validation-system.svc",
          "model-validation-webhook-service.model-validation-system.svc.cluster.local");
      assertThat(leaf.getNotAfter().toInstant()).isAfter(NOW.plus(Duration.ofDays(360)));
      assertThat(caBundle()).containsExactly(ca);
      assertThat(m.get()).isNotNull();
    }
  }

  @Test
  void reusesAValidSecretSoReplicasAgree() {
    ServingCertificate first;
    try (CertificateManager replicaA = manager(NOW)) {
      first = replicaA.ensureCertificate();
    }
    String version = secret().getMetadata().getResourceVersion();
    try (CertificateManager replicaB = manager(NOW.plus(Duration.ofDays(100)))) {
      ServingCertificate second = replicaB.ensureCertificate();
      assertThat(second).isEqualTo(first);
    }
    assertThat(secret().getMetadata().getResourceVersion()).isEqualTo(version);
  }

  /**
   * Renewal issues the new certificate from the same CA (its key is kept in {@code ca.key}): the caBundle does not
   * change, so the API server trusts the new certificate the moment a replica serves it.
   */
  @Test
  void renewsWhenLessThan30DaysRemainFromTheSameCaSoTheCaBundleStays() throws Exception {
    ServingCertificate first;
    try (CertificateManager m = manager(NOW)) {
      first = m.ensureCertificate();
    }
    assertThat(secret().getData()).containsKey("ca.key");
    X509Certificate ca = caOf(first);
    List<X509Certificate> bundleBefore = caBundle();
    try (CertificateManager later = manager(NOW.plus(Duration.ofDays(340)))) {
      ServingCertificate renewed = later.ensureCertificate();
      assertThat(renewed).isNotEqualTo(first);
      assertThat(renewed.key()).isNotEqualTo(first.key());
      assertThat(renewed.notAfter()).isAfter(first.notAfter());
      assertThat(decode(secret().getData().get("tls.crt"))).isEqualTo(renewed.certPem());
      assertThat(caOf(renewed)).isEqualTo(ca);
      renewed.leaf().verify(ca.getPublicKey());
      assertThat(caBundle()).isEqualTo(bundleBefore).containsExactly(ca);
    }
  }

  /**
   * A Secret without the CA's key (written by an earlier version), or a CA that would expire before a new certificate,
   * gets a new CA; the caBundle then keeps the old CA next to the new one, so replicas still serving the old
   * certificate stay trusted.
   */
  @Test
  void renewsFromANewCaWhenTheOldOneCannotIssueAndKeepsTheOldCaTrusted() {
    ServingCertificate first;
    try (CertificateManager m = manager(NOW)) {
      first = m.ensureCertificate();
    }
    Secret withoutCaKey = secret();
    withoutCaKey.getData().remove("ca.key");
    client.secrets().inNamespace(NS).resource(withoutCaKey).update();
    X509Certificate oldCa = caOf(first);
    ServingCertificate renewed;
    try (CertificateManager later = manager(NOW.plus(Duration.ofDays(340)))) {
      renewed = later.ensureCertificate();
      X509Certificate newCa = caOf(renewed);
      assertThat(newCa).isNotEqualTo(oldCa);
      assertThat(caBundle()).containsExactly(newCa, oldCa);
      assertThat(secret().getData()).containsKey("ca.key");
    }

    // a CA of 400 days cannot issue a 365-day certificate after day 340: a new one does
    CertificateManager.Options shortCa =
        new CertificateManager.Options(NS, SECRET, "model-validation-webhook-service", WEBHOOK_CONFIG,
            Duration.ofDays(400), Duration.ofDays(365), Duration.ofDays(30));
    client.secrets().inNamespace(NS).withName(SECRET).delete();
    Instant start = NOW.plus(Duration.ofDays(400));
    X509Certificate shortLived;
    try (CertificateManager m = new CertificateManager(client, shortCa, Clock.fixed(start, ZoneOffset.UTC))) {
      shortLived = caOf(m.ensureCertificate());
    }
    try (CertificateManager m =
        new CertificateManager(client, shortCa, Clock.fixed(start.plus(Duration.ofDays(340)), ZoneOffset.UTC))) {
      ServingCertificate again = m.ensureCertificate();
      assertThat(caOf(again)).isNotEqualTo(shortLived);
      assertThat(caBundle()).containsExactly(caOf(again), shortLived);
    }
  }

  /**
   * A CA in the Secret that this class could not sign with (here an Ed25519 CA with our name, put there by hand or by
   * another tool) is not reused: renewal makes a new CA instead of failing for ever (and the webhook with it).
   */
  @Test
  void aCaOfAnotherKindInTheSecretIsReplacedNotReused() throws Exception {
    try (CertificateManager m = manager(NOW)) {
      m.ensureCertificate();
    }
    java.security.KeyPair ed = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    org.bouncycastle.asn1.x500.X500Name name =
        new org.bouncycastle.asn1.x500.X500Name("CN=" + CertificateManager.CA_COMMON_NAME);
    org.bouncycastle.cert.X509v3CertificateBuilder builder =
        new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
            name, java.math.BigInteger.TWO, java.util.Date.from(NOW),
            java.util.Date.from(NOW.plus(Duration.ofDays(3650))), name, ed.getPublic());
    builder.addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
        new org.bouncycastle.asn1.x509.BasicConstraints(0));
    X509Certificate edCa = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
        builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("Ed25519").build(ed.getPrivate())));
    Secret s = secret();
    s.getData().put("ca.crt", Base64.getEncoder().encodeToString(Pem.encode(edCa).getBytes(StandardCharsets.US_ASCII)));
    s.getData().put("ca.key",
        Base64.getEncoder().encodeToString(Pem.encode(ed.getPrivate()).getBytes(StandardCharsets.US_ASCII)));
    client.secrets().inNamespace(NS).resource(s).update();

    try (CertificateManager later = manager(NOW.plus(Duration.ofDays(340)))) {
      ServingCertificate renewed = later.ensureCertificate();
      X509Certificate ca = caOf(renewed);
      assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
      renewed.leaf().verify(ca.getPublicKey());
      assertThat(caBundle()).first().isEqualTo(ca);
    }
  }

  static X509Certificate caOf(ServingCertificate c) {
    return Pem.certificates(c.caPem().getBytes(StandardCharsets.US_ASCII), "ca").get(0);
  }

  @Test
  void replacesAnUnusableSecret() {
    client.secrets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
        .withNewMetadata().withName(SECRET).withNamespace(NS).endMetadata()
        .addToData("tls.crt", Base64.getEncoder().encodeToString("garbage".getBytes(StandardCharsets.US_ASCII)))
        .build()).create();
    try (CertificateManager m = manager(NOW)) {
      ServingCertificate served = m.ensureCertificate();
      assertThat(decode(secret().getData().get("tls.key"))).isEqualTo(served.keyPem());
    }
  }
}
