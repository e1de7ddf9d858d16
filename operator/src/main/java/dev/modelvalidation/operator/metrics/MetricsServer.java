package dev.modelvalidation.operator.metrics;

import dev.modelvalidation.operator.http.PlainHttpServer;
import dev.modelvalidation.operator.http.PlainHttpServer.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;

/** Plain HTTP {@code GET /metrics} in the Prometheus text format (JDK HttpServer). */
public final class MetricsServer implements AutoCloseable {

  public static final String PATH = "/metrics";
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final PlainHttpServer server;

  /**
   * Binds and starts.
   *
   * @throws IOException if the address cannot be bound
   */
  public MetricsServer(InetSocketAddress address, OperatorMetrics metrics) throws IOException {
    Objects.requireNonNull(metrics, "metrics");
    server =
        new PlainHttpServer(
            address,
            "metrics-http",
            exchange -> {
              if (!PATH.equals(exchange.getRequestURI().getPath())) {
                return Response.text(404, "not found\n");
              }
              if (!"GET".equals(exchange.getRequestMethod())) {
                return Response.text(405, "use GET\n");
              }
              return new Response(200, PROMETHEUS_TEXT, metrics.scrape());
            });
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
