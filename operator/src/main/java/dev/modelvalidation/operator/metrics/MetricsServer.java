package dev.modelvalidation.operator.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Executors;

/** Plain HTTP {@code GET /metrics} in the Prometheus text format (JDK HttpServer). */
public final class MetricsServer implements AutoCloseable {

  public static final String PATH = "/metrics";

  private final HttpServer server;

  /**
   * Binds and starts.
   *
   * @throws IOException if the address cannot be bound
   */
  public MetricsServer(InetSocketAddress address, OperatorMetrics metrics) throws IOException {
    Objects.requireNonNull(metrics, "metrics");
    server = HttpServer.create(address, 16);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            byte[] body;
            int code;
            String type;
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
              code = 404;
              type = "text/plain";
              body = "not found\n".getBytes(StandardCharsets.UTF_8);
            } else if (!"GET".equals(exchange.getRequestMethod())) {
              code = 405;
              type = "text/plain";
              body = "use GET\n".getBytes(StandardCharsets.UTF_8);
            } else {
              code = 200;
              type = "text/plain; version=0.0.4; charset=utf-8";
              body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(code, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "metrics-http");
              t.setDaemon(true);
              return t;
            }));
    server.start();
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
