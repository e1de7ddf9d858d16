package dev.modelvalidation.operator.health;

import dev.modelvalidation.operator.http.PlainHttpServer;
import dev.modelvalidation.operator.http.PlainHttpServer.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Plain HTTP probes: {@code /healthz} answers 200 while the process runs; {@code /readyz} answers
 * 200 when every readiness check passes, else 503 listing the failing checks.
 */
public final class ProbeServer implements AutoCloseable {

  private final PlainHttpServer server;
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
    server =
        new PlainHttpServer(
            address,
            "probe-http",
            exchange ->
                switch (exchange.getRequestURI().getPath()) {
                  case "/healthz" -> Response.text(200, "ok\n");
                  case "/readyz" -> ready();
                  default -> Response.text(404, "not found\n");
                });
  }

  private Response ready() {
    StringBuilder failing = new StringBuilder();
    for (var e : readiness.entrySet()) {
      if (!passes(e.getValue())) {
        failing.append(failing.isEmpty() ? "" : ", ").append(e.getKey());
      }
    }
    return failing.isEmpty() ? Response.text(200, "ok\n") : Response.text(503, "not ready: " + failing + "\n");
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
    return server.address();
  }

  @Override
  public void close() {
    server.close();
  }
}
