package dev.modelvalidation.operator.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS endpoint of the webhook: {@code POST /mutate-v1-pod} with an AdmissionReview v1 body.
 *
 * <p>TLS comes from a {@code Supplier<SSLContext>} asked at every new connection, so a certificate
 * manager can rotate the serving certificate without a restart. Only TLS 1.3 and 1.2 are offered.
 * Requests run on a bounded pool (when it is full the accepting thread runs the request itself,
 * which slows accepting down instead of queueing without limit). Bodies above {@link
 * Options#maxRequestBytes()} get 413; a body that is not JSON or not an AdmissionReview gets 400;
 * other paths 404; other methods 405.
 */
public final class AdmissionServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AdmissionServer.class);

  /**
   * Server options.
   *
   * @param address where to listen (port 0 picks a free port)
   * @param threads request threads
   * @param queueCapacity requests waiting for a thread
   * @param maxRequestBytes largest accepted body
   */
  public record Options(
      InetSocketAddress address, int threads, int queueCapacity, int maxRequestBytes) {

    public Options {
      Objects.requireNonNull(address, "address");
      if (threads < 1 || queueCapacity < 1 || maxRequestBytes < 1) {
        throw new IllegalArgumentException("threads, queueCapacity and maxRequestBytes must be > 0");
      }
    }

    /** Defaults: all interfaces, 4 threads, 64 queued, 4 MiB bodies (objects are at most 1.5 MiB). */
    public static Options defaults(int port) {
      return new Options(new InetSocketAddress(port), 4, 64, 4 * 1024 * 1024);
    }
  }

  private final AdmissionHandler handler;
  private final Supplier<SSLContext> ssl;
  private final Options options;
  private HttpsServer server;
  private ThreadPoolExecutor executor;

  public AdmissionServer(AdmissionHandler handler, Supplier<SSLContext> ssl, Options options) {
    this.handler = Objects.requireNonNull(handler, "handler");
    this.ssl = Objects.requireNonNull(ssl, "ssl");
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Binds and starts serving.
   *
   * @throws IOException if the address cannot be bound
   * @throws IllegalStateException if already started, or the supplier has no SSLContext yet
   */
  public synchronized void start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("the admission server is already started");
    }
    SSLContext context = new RotatingSslContext(ssl);
    HttpsServer https = HttpsServer.create(options.address(), 128);
    https.setHttpsConfigurator(
        new HttpsConfigurator(context) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = getSSLContext().getDefaultSSLParameters();
            p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            p.setNeedClientAuth(false);
            params.setSSLParameters(p);
          }
        });
    https.createContext("/", this::serve);
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            options.threads(),
            options.threads(),
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(options.queueCapacity()),
            daemonThreads(),
            new ThreadPoolExecutor.CallerRunsPolicy());
    https.setExecutor(pool);
    https.start();
    this.server = https;
    this.executor = pool;
    InetSocketAddress bound = https.getAddress();
    LOG.info(
        "admission webhook listening on https://{}:{}{}",
        bound.getHostString(),
        bound.getPort(),
        WebhookConstants.MUTATE_PATH);
  }

  /** The bound address (with the real port when started on port 0). */
  public synchronized InetSocketAddress address() {
    if (server == null) {
      throw new IllegalStateException("the admission server is not started");
    }
    return server.getAddress();
  }

  /** Stops accepting, lets running requests finish for up to a second, and frees the threads. */
  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(1);
      executor.shutdown();
      server = null;
      executor = null;
    }
  }

  /** How much of an oversized body is read and discarded before the 413 (bigger bodies just lose the connection). */
  private static final long DRAIN_LIMIT = 16L << 20;

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!WebhookConstants.MUTATE_PATH.equals(path)) {
        closeAfterResponse(exchange);
        respond(exchange, 404, "text/plain", "not found: " + path + "\n");
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        closeAfterResponse(exchange);
        respond(exchange, 405, "text/plain", "use POST\n");
        return;
      }
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      if (contentType != null
          && !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
        closeAfterResponse(exchange);
        respond(exchange, 400, "text/plain", "expected Content-Type application/json\n");
        return;
      }
      String length = exchange.getRequestHeaders().getFirst("Content-Length");
      if (length != null && tooLong(length)) {
        tooLarge(exchange);
        return;
      }
      byte[] body = exchange.getRequestBody().readNBytes(options.maxRequestBytes() + 1);
      if (body.length > options.maxRequestBytes()) {
        tooLarge(exchange);
        return;
      }
      byte[] answer;
      try {
        answer = handler.handle(body);
      } catch (MalformedReviewException e) {
        respond(exchange, 400, "text/plain", e.getMessage() + "\n");
        return;
      } catch (RuntimeException e) {
        LOG.error("admission request failed", e);
        respond(exchange, 500, "text/plain", "internal error\n");
        return;
      }
      respond(exchange, 200, "application/json", answer);
    }
  }

  /**
   * Answers 413. The rest of the body is read and discarded first (up to {@link #DRAIN_LIMIT}), or a client that is
   * still sending would see its connection reset instead of the answer; the connection is closed afterwards.
   */
  private static void tooLarge(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      long left = DRAIN_LIMIT;
      while (left > 0) {
        long skipped = in.skip(left);
        if (skipped <= 0 && in.read() < 0) {
          break;
        }
        left -= Math.max(skipped, 1);
      }
    }
    closeAfterResponse(exchange);
    respond(exchange, 413, "text/plain", "request body too large\n");
  }

  /** The request body was not read: the client must not reuse this connection. */
  private static void closeAfterResponse(HttpExchange exchange) {
    exchange.getResponseHeaders().set("Connection", "close");
  }

  private boolean tooLong(String contentLength) {
    try {
      return Long.parseLong(contentLength.trim()) > options.maxRequestBytes();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static void respond(HttpExchange exchange, int code, String type, String text)
      throws IOException {
    respond(exchange, code, type, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void respond(HttpExchange exchange, int code, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "admission-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
