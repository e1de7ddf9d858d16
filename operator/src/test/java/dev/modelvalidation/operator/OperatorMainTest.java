package dev.modelvalidation.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelvalidation.operator.api.ModelValidation;
import dev.modelvalidation.operator.bench.BenchFixtures;
import dev.modelvalidation.operator.tls.Pem;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wired operator (self-managed TLS) against the mock API server: webhook, metrics, probes. */
@EnableKubernetesMockClient(crud = true)
class OperatorMainTest {

  KubernetesClient client;

  /** The HTTP servers get request and response time limits, unless the command line set its own. */
  @Test
  void httpServersAreTimeLimitedUnlessConfigured() {
    java.util.Properties defaults = new java.util.Properties();
    OperatorMain.limitHttpServers(defaults);
    assertThat(defaults)
        .containsEntry("sun.net.httpserver.maxReqTime", "30")
        .containsEntry("sun.net.httpserver.maxRspTime", "30");
    java.util.Properties given = new java.util.Properties();
    given.setProperty("sun.net.httpserver.maxReqTime", "5");
    OperatorMain.limitHttpServers(given);
    assertThat(given).containsEntry("sun.net.httpserver.maxReqTime", "5").containsEntry("sun.net.httpserver.maxRspTime", "30");
  }

  @Test
  void servesTheWebhookWithTheSelfManagedCertificateAndReportsMetrics() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/META-INF/fabric8/modelvalidations.ml.sigstore.dev-v1.yml")) {
      client.apiextensions().v1().customResourceDefinitions()
          .resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class)).create();
    }
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(BenchFixtures.NAMESPACE)
        .endMetadata().build()).create();
    client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(
        new MutatingWebhookConfigurationBuilder()
            .withNewMetadata().withName(OperatorSettings.DEFAULT_WEBHOOK_CONFIG_NAME).endMetadata()
            .addNewWebhook().withName("pods.validation.ml.sigstore.dev").withNewClientConfig()
            .withNewService().withName(OperatorSettings.DEFAULT_WEBHOOK_SERVICE_NAME)
            .withNamespace(OperatorSettings.DEFAULT_NAMESPACE).endService().endClientConfig().endWebhook()
            .build()).create();
    client.resources(ModelValidation.class).inNamespace(BenchFixtures.NAMESPACE)
        .resource(BenchFixtures.modelValidation()).create();

    OperatorSettings settings = new OperatorSettings(
        OperatorSettings.DEFAULT_VERIFIER_IMAGE, OperatorSettings.TlsMode.SELF_MANAGED,
        Path.of("/nonexistent"), 0, 0, 0, OperatorSettings.DEFAULT_NAMESPACE,
        OperatorSettings.DEFAULT_WEBHOOK_CONFIG_NAME, OperatorSettings.DEFAULT_WEBHOOK_SERVICE_NAME,
        OperatorSettings.DEFAULT_TLS_SECRET_NAME, false, "auto", false);
    try (OperatorMain main = new OperatorMain();
        HttpClient plain = HttpClient.newHttpClient()) {
      main.start(settings, client);

      String health = "http://127.0.0.1:" + main.healthAddress().getPort();
      await(() -> get(plain, health + "/readyz").statusCode() == 200);
      assertThat(get(plain, health + "/healthz").statusCode()).isEqualTo(200);

      String caBundle = client.admissionRegistration().v1().mutatingWebhookConfigurations()
          .withName(OperatorSettings.DEFAULT_WEBHOOK_CONFIG_NAME).get().getWebhooks().get(0)
          .getClientConfig().getCaBundle();
      assertThat(caBundle).isNotBlank();
      // the certificate names the service, not 127.0.0.1: a plain TLS socket checks the chain only
      String response = post(trusting(Base64.getDecoder().decode(caBundle)), main.webhookAddress().getPort(),
          BenchFixtures.review("uid-1", "app", BenchFixtures.MV_NAME));
      assertThat(response).startsWith("HTTP/1.1 200").contains("\"allowed\":true").contains("\"patch\"");

      String metrics = get(plain, "http://127.0.0.1:" + main.metricsAddress().getPort() + "/metrics").body();
      assertThat(metrics)
          .contains("model_validation_admissions_total{result=\"injected\"} 1.0")
          .contains("model_validation_injections_total{auth_method=\"sigstore\"} 1.0");
      await(() -> {
        ModelValidation mv = client.resources(ModelValidation.class).inNamespace(BenchFixtures.NAMESPACE)
            .withName(BenchFixtures.MV_NAME).get();
        return mv.getStatus() != null && "sigstore".equals(mv.getStatus().getAuthMethod());
      });
    }
  }

  @Test
  void localModeServesOnLoopbackWithAGeneratedLocalhostCertificate(@TempDir Path certDir) throws Exception {
    OperatorSettings settings = new OperatorSettings(
        OperatorSettings.DEFAULT_VERIFIER_IMAGE, OperatorSettings.TlsMode.CERT_MANAGER,
        certDir, 0, 0, 0, OperatorSettings.DEFAULT_NAMESPACE,
        OperatorSettings.DEFAULT_WEBHOOK_CONFIG_NAME, OperatorSettings.DEFAULT_WEBHOOK_SERVICE_NAME,
        OperatorSettings.DEFAULT_TLS_SECRET_NAME, false, "auto", true);
    try (OperatorMain main = new OperatorMain()) {
      main.start(settings, client);
      assertThat(main.webhookAddress().getAddress().isLoopbackAddress()).isTrue();
      SSLContext trust = trusting(java.nio.file.Files.readAllBytes(certDir.resolve("ca.crt")));
      try (HttpClient https = HttpClient.newBuilder().sslContext(trust).build()) {
        // host name verification on: the certificate names localhost
        HttpResponse<String> r = https.send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + main.webhookAddress().getPort() + "/mutate-v1-pod"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BenchFixtures.review("uid-2", "plain", null)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"allowed\":true").doesNotContain("\"patch\"");
      }
    }
  }

  static HttpResponse<String> get(HttpClient http, String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One HTTP/1.1 POST to the webhook path over TLS; the whole response as text. */
  static String post(SSLContext tls, int port, String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      var out = socket.getOutputStream();
      out.write(("POST /mutate-v1-pod HTTP/1.1\r\nHost: webhook\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static SSLContext trusting(byte[] caPem) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    int i = 0;
    for (var ca : Pem.certificates(caPem, "caBundle")) {
      ks.setCertificateEntry("ca" + i++, ca);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting");
      }
      Thread.sleep(50);
    }
  }
}
