package dev.modelvalidation.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class ProbeServerTest {

  @Test
  void readyOnlyWhenEveryCheckPasses() throws Exception {
    AtomicBoolean synced = new AtomicBoolean(false);
    Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
    checks.put("informers", synced::get);
    checks.put("tls", () -> true);
    try (ProbeServer probes = new ProbeServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), checks);
        HttpClient http = HttpClient.newHttpClient()) {
      String base = "http://127.0.0.1:" + probes.address().getPort();
      HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> notReady = http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).contains("informers").doesNotContain("tls");

      synced.set(true);
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
    }
  }
}
