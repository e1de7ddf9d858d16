package dev.modelvalidation.operator.health;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * Plain HTTP probes: {@code /healthz} answers 200 while the process runs; {@code /readyz} answers
 * 200 when every readiness check passes, else 503 listing the failing checks.
 */
public final class ProbeServer implements AutoCloseable {

  private final HttpServer server;
  private final Map<String, BooleanSupplier> readiness;

  /**
   * Binds and starts.
   *
   * @param readiness named checks (e.g. "informers", "tls"), all must pass for {@code /readyz}
   * @throws IOException if the address cannot be bound
   */
  public ProbeServer(InetSocketAddress address, Map<String, BooleanSupplier> readiness)
      throws IOException {
    this.readiness = new LinkedHashMap<>(Objects.requireNonNull(readiness, "readiness"));
    server = HttpServer.create(address, 16);
    server.createContext("/", exchange -> {
      try (exchange) {
        String path = exchange.getRequestURI().getPath();
        int code;
        String body;
        switch (path) {
          case "/healthz" -> {
            code = 200;
            body = "ok\n";
          }
          case "/readyz" -> {
            StringBuilder failing = new StringBuilder();
            for (var e : this.readiness.entrySet()) {
              if (!passes(e.getValue())) {
                failing.append(failing.isEmpty() ? "" : ", ").append(e.getKey());
              }
            }
            code = failing.isEmpty() ? 200 : 503;
            body = failing.isEmpty() ? "ok\n" : "not ready: " + failing + "\n";
          }
          default -> {
            code = 404;
            body = "not found\n";
          }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    });
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "probe-http");
              t.setDaemon(true);
              return t;
            }));
    server.start();
  }

  private static boolean passes(BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
