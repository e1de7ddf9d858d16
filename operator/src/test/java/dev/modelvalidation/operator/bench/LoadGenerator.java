package dev.modelvalidation.operator.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Open-loop load: sends AdmissionReview requests at a fixed rate over HTTPS and reports throughput
 * and latency percentiles. A pacer thread releases request i at {@code start + i/rate}; a small pool
 * of keep-alive TLS connections (like the API server's) sends them, each a plain blocking HTTP/1.1
 * client so the generator itself needs little CPU. Latency is measured from each request's intended
 * start, so a stalled server is not hidden (no coordinated omission). When every connection is busy
 * and the backlog is full, a request is counted as dropped. A warm-up phase (not measured) comes
 * first.
 *
 * <p>Usage: {@code LoadGenerator <port> <ca.crt> <rate/s> <seconds> [warmupSeconds] [connections]}
 */
public final class LoadGenerator {

  private LoadGenerator() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    SSLContext tls = trusting(Path.of(args[1]));
    int rate = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 5;
    int connections = args.length > 5 ? Integer.parseInt(args[5]) : 8;
    if (warmup > 0) {
      run(tls, port, rate, warmup, connections, false);
    }
    run(tls, port, rate, seconds, connections, true);
  }

  private record Job(int index, long intendedNanos) {}

  private static void run(SSLContext tls, int port, int rate, int seconds, int connections, boolean report)
      throws Exception {
    int total = rate * seconds;
    long interval = 1_000_000_000L / rate;
    long[] latencies = new long[total];
    Arrays.fill(latencies, -1);
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger dropped = new AtomicInteger();
    AtomicLong lastCompletion = new AtomicLong();
    BlockingQueue<Job> queue = new ArrayBlockingQueue<>(256);
    CountDownLatch done = new CountDownLatch(total);
    Thread[] workers = new Thread[connections];
    for (int c = 0; c < connections; c++) {
      workers[c] = new Thread(() -> {
        Connection conn = null;
        try {
          while (true) {
            Job job = queue.take();
            if (job.index < 0) {
              return;
            }
            boolean success = false;
            try {
              if (conn == null) {
                conn = new Connection(tls, port);
              }
              success = conn.post(BenchFixtures.review("req-" + job.index, "app", BenchFixtures.MV_NAME));
            } catch (IOException e) {
              if (conn != null) {
                conn.close();
              }
              conn = null;
            }
            long end = System.nanoTime();
            latencies[job.index] = end - job.intendedNanos;
            lastCompletion.accumulateAndGet(end, Math::max);
            (success ? ok : failed).incrementAndGet();
            done.countDown();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          if (conn != null) {
            conn.close();
          }
        }
      }, "load-" + c);
      workers[c].setDaemon(true);
      workers[c].start();
    }
    long start = System.nanoTime() + 1_000_000;
    for (int i = 0; i < total; i++) {
      long intended = start + i * interval;
      long wait;
      while ((wait = intended - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      if (!queue.offer(new Job(i, intended))) {
        dropped.incrementAndGet();
        done.countDown();
      }
    }
    boolean finished = done.await(30, TimeUnit.SECONDS);
    for (int c = 0; c < connections; c++) {
      queue.offer(new Job(-1, 0));
    }
    if (!report) {
      return;
    }
    long[] measured = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
    double elapsed = (lastCompletion.get() - start) / 1e9;
    System.out.printf(Locale.ROOT, "requests:   %d sent at %d/s for %d s over %d connections (%d ok, %d failed, %d dropped%s)%n",
        total, rate, seconds, connections, ok.get(), failed.get(), dropped.get(), finished ? "" : ", TIMED OUT");
    System.out.printf(Locale.ROOT, "throughput: %.1f requests/s%n", ok.get() / elapsed);
    if (measured.length > 0) {
      System.out.printf(Locale.ROOT, "latency:    p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
          pct(measured, 0.50), pct(measured, 0.99), pct(measured, 0.999),
          measured[measured.length - 1] / 1e6);
    }
  }

  /** One keep-alive HTTPS connection speaking just enough HTTP/1.1. */
  private static final class Connection {
    private final SSLSocket socket;
    private final OutputStream out;
    private final InputStream in;

    Connection(SSLContext tls, int port) throws IOException {
      socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream());
    }

    /** Posts one review; true for a 200 answer carrying a patch. */
    boolean post(String body) throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      byte[] head = ("POST /mutate-v1-pod HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      byte[] request = Arrays.copyOf(head, head.length + bytes.length);
      System.arraycopy(bytes, 0, request, head.length, bytes.length);
      out.write(request);
      out.flush();
      String status = line();
      int length = -1;
      String header;
      while (!(header = line()).isEmpty()) {
        int colon = header.indexOf(':');
        if (colon > 0 && header.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
          length = Integer.parseInt(header.substring(colon + 1).trim());
        }
      }
      if (length < 0) {
        throw new IOException("no Content-Length in the answer");
      }
      String answer = new String(in.readNBytes(length), StandardCharsets.UTF_8);
      return status.startsWith("HTTP/1.1 200") && answer.contains("\"patch\"");
    }

    private String line() throws IOException {
      StringBuilder sb = new StringBuilder();
      int b;
      while ((b = in.read()) != -1 && b != '\n') {
        if (b != '\r') {
          sb.append((char) b);
        }
      }
      if (b == -1 && sb.isEmpty()) {
        throw new IOException("connection closed");
      }
      return sb.toString();
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
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
}
