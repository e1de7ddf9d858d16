package dev.modelvalidation.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelvalidation.operator.bench.BenchFixtures;
import dev.modelvalidation.operator.webhook.AdmissionHandler;
import dev.modelvalidation.operator.webhook.WebhookSettings;
import io.fabric8.zjsonpatch.JsonPatch;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

  static HttpResponse<String> get(InetSocketAddress address, String path) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void admissionsAreCountedByResultAndExposed() throws Exception {
    OperatorMetrics metrics = new OperatorMetrics();
    var lookup = BenchFixtures.lookup();
    AdmissionHandler handler = new AdmissionHandler(WebhookSettings.defaults(false), lookup,
        ns -> Optional.of(Map.of()), Clock.systemUTC(), new AdmissionMetrics(metrics, lookup));

    String injected = new String(handler.handle(BenchFixtures.review("u1", "app", BenchFixtures.MV_NAME)
        .getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    assertThat(injected).contains("\"patch\"");
    handler.handle(BenchFixtures.review("u2", "app", BenchFixtures.MV_NAME).getBytes(StandardCharsets.UTF_8));
    handler.handle(BenchFixtures.review("u3", "plain", null).getBytes(StandardCharsets.UTF_8));
    handler.handle(BenchFixtures.review("u4", "app", "missing").getBytes(StandardCharsets.UTF_8));
    metrics.verification(true);
    metrics.verification(false);
    metrics.verification(false);

    try (MetricsServer server = new MetricsServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics)) {
      HttpResponse<String> r = get(server.address(), "/metrics");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
      assertThat(r.body())
          .contains("model_validation_admissions_total{result=\"injected\"} 2.0")
          .contains("model_validation_admissions_total{result=\"allowed\"} 1.0")
          .contains("model_validation_admissions_total{result=\"denied\"} 1.0")
          .contains("model_validation_admissions_total{result=\"error\"} 0.0")
          .contains("model_validation_injections_total{auth_method=\"sigstore\"} 2.0")
          .contains("model_validation_verifications_total{result=\"verified\"} 1.0")
          .contains("model_validation_verifications_total{result=\"failed\"} 2.0")
          .contains("model_validation_webhook_latency_seconds_bucket{le=")
          .contains("model_validation_webhook_latency_seconds_count 4");
      assertThat(get(server.address(), "/other").statusCode()).isEqualTo(404);
    }
  }

  /**
   * A pod is one injection: when a later webhook appends an init container, the API server reinvokes ours, whose
   * patch moves the verifier back to the end; that is counted as {@code reinvoked}. A dry run ({@code kubectl create
   * --dry-run=server}) creates nothing and is counted as {@code dry_run}, not as an injection.
   */
  @Test
  void reinvocationsAndDryRunsAreNotCountedAsInjections() throws Exception {
    ObjectMapper json = new ObjectMapper();
    OperatorMetrics metrics = new OperatorMetrics();
    var lookup = BenchFixtures.lookup();
    AdmissionHandler handler = new AdmissionHandler(WebhookSettings.defaults(false), lookup,
        ns -> Optional.of(Map.of()), Clock.systemUTC(), new AdmissionMetrics(metrics, lookup));

    ObjectNode review = (ObjectNode) json.readTree(BenchFixtures.review("u1", "app", BenchFixtures.MV_NAME));
    JsonNode first = json.readTree(handler.handle(json.writeValueAsBytes(review))).path("response");
    JsonNode patch = json.readTree(Base64.getDecoder().decode(first.path("patch").asText()));
    JsonNode injected = JsonPatch.apply(patch, review.path("request").path("object"));
    // a later webhook appends a downloader behind the verifier; the API server calls this webhook again
    ObjectNode downloader = json.createObjectNode().put("name", "downloader").put("image", "registry.example/dl:1");
    downloader.putArray("volumeMounts").addObject().put("name", "data").put("mountPath", "/data");
    ((ArrayNode) injected.path("spec").path("initContainers")).add(downloader);
    ObjectNode again = review.deepCopy();
    ((ObjectNode) again.path("request")).put("uid", "u2").set("object", injected);
    JsonNode second = json.readTree(handler.handle(json.writeValueAsBytes(again))).path("response");
    assertThat(second.path("allowed").asBoolean()).isTrue();
    assertThat(second.has("patch")).as("the verifier is moved back to the end").isTrue();

    ObjectNode dryRun = (ObjectNode) json.readTree(BenchFixtures.review("u3", "app", BenchFixtures.MV_NAME));
    ((ObjectNode) dryRun.path("request")).put("dryRun", true);
    JsonNode third = json.readTree(handler.handle(json.writeValueAsBytes(dryRun))).path("response");
    assertThat(third.has("patch")).as("a dry run gets the same answer").isTrue();

    assertThat(metrics.scrape())
        .contains("model_validation_admissions_total{result=\"injected\"} 1.0")
        .contains("model_validation_admissions_total{result=\"reinvoked\"} 1.0")
        .contains("model_validation_admissions_total{result=\"dry_run\"} 1.0")
        .contains("model_validation_injections_total{auth_method=\"sigstore\"} 1.0");
  }
}
