package dev.modelvalidation.operator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A small plain-HTTP text server on one daemon thread (JDK HttpServer), for the probe and metrics endpoints:
 * every request is answered by one function.
 */
public final class PlainHttpServer implements AutoCloseable {

  /** An answer: status code, content type and text body (UTF-8). */
  public record Response(int code, String contentType, String body) {
    public static Response text(int code, String body) {
      return new Response(code, "text/plain; charset=utf-8", body);
    }
  }

  private final HttpServer server;

  /**
   * Binds and starts.
   *
   * @throws IOException if the address cannot be bound
   */
  public PlainHttpServer(InetSocketAddress address, String threadName, Function<HttpExchange, Response> handler)
      throws IOException {
    Objects.requireNonNull(handler, "handler");
    server = HttpServer.create(address, 16);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            Response response = handler.apply(exchange);
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.sendResponseHeaders(response.code(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
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
