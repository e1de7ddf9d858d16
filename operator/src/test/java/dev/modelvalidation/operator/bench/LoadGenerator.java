package dev.modelvalidation.operator.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Open-loop load: sends AdmissionReview requests at a fixed rate over HTTPS and reports throughput
 * and latency percentiles. Latency is measured from each request's scheduled start, so a stalled
 * server is not hidden (no coordinated omission). At most {@code maxInFlight} requests are
 * outstanding; ticks beyond that are counted as dropped. A warm-up phase (not measured) comes first.
 *
 * <p>Usage: {@code LoadGenerator <port> <ca.crt> <rate/s> <seconds> [warmupSeconds]}
 */
public final class LoadGenerator {

  private LoadGenerator() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path ca = Path.of(args[1]);
    int rate = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 5;
    URI uri = URI.create("https://localhost:" + port + "/mutate-v1-pod");
    try (HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .sslContext(trusting(ca))
        .connectTimeout(Duration.ofSeconds(5))
        .executor(Executors.newFixedThreadPool(4, daemon()))
        .build()) {
      if (warmup > 0) {
        run(http, uri, rate, warmup, false);
      }
      run(http, uri, rate, seconds, true);
    }
  }

  private static void run(HttpClient http, URI uri, int rate, int seconds, boolean report)
      throws InterruptedException {
    int total = rate * seconds;
    long intervalNanos = 1_000_000_000L / rate;
    long[] latencies = new long[total];
    Arrays.fill(latencies, -1);
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger dropped = new AtomicInteger();
    AtomicInteger next = new AtomicInteger();
    Semaphore inFlight = new Semaphore(256);
    CountDownLatch done = new CountDownLatch(total);
    AtomicLong lastCompletion = new AtomicLong();
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon());
    long start = System.nanoTime();
    ticker.scheduleAtFixedRate(() -> {
      long now = System.nanoTime();
      // catch up on ticks the timer thread missed, each with its own intended start
      while (true) {
        int i = next.get();
        if (i >= total) {
          return;
        }
        long intended = start + i * intervalNanos;
        if (intended > now || !next.compareAndSet(i, i + 1)) {
          if (intended > now) {
            return;
          }
          continue;
        }
        if (!inFlight.tryAcquire()) {
          dropped.incrementAndGet();
          done.countDown();
          continue;
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(
                BenchFixtures.review("req-" + i, "app", BenchFixtures.MV_NAME), StandardCharsets.UTF_8))
            .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
          long end = System.nanoTime();
          latencies[i] = end - intended;
          lastCompletion.accumulateAndGet(end, Math::max);
          if (e == null && r.statusCode() == 200 && r.body().contains("\"patch\"")) {
            ok.incrementAndGet();
          } else {
            failed.incrementAndGet();
          }
          inFlight.release();
          done.countDown();
        });
      }
    }, 0, Math.max(1, intervalNanos / 2), TimeUnit.NANOSECONDS);
    boolean finished = done.await(seconds + 30L, TimeUnit.SECONDS);
    ticker.shutdownNow();
    if (!report) {
      return;
    }
    long[] measured = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
    double elapsed = (lastCompletion.get() - start) / 1e9;
    System.out.printf("requests:   %d sent at %d/s for %d s (%d ok, %d failed, %d dropped%s)%n",
        total, rate, seconds, ok.get(), failed.get(), dropped.get(), finished ? "" : ", TIMED OUT");
    System.out.printf("throughput: %.1f requests/s%n", ok.get() / elapsed);
    if (measured.length > 0) {
      System.out.printf("latency:    p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
          pct(measured, 0.50), pct(measured, 0.99), pct(measured, 0.999),
          measured[measured.length - 1] / 1e6);
    }
  }

  private static double pct(long[] sorted, double p) {
    int idx = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, idx)] / 1e6;
  }

  private static SSLContext trusting(Path caFile) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    try (var in = Files.newInputStream(caFile)) {
      ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "load");
      t.setDaemon(true);
      return t;
    };
  }
}
