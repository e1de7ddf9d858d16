package dev.modelvalidation.operator.bench;

import dev.modelvalidation.operator.metrics.AdmissionMetrics;
import dev.modelvalidation.operator.metrics.MetricsServer;
import dev.modelvalidation.operator.metrics.OperatorMetrics;
import dev.modelvalidation.operator.tls.CertFileReloader;
import dev.modelvalidation.operator.tls.DevelopmentCertificate;
import dev.modelvalidation.operator.webhook.AdmissionHandler;
import dev.modelvalidation.operator.webhook.AdmissionServer;
import dev.modelvalidation.operator.webhook.ModelValidationLookup;
import dev.modelvalidation.operator.webhook.WebhookSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's admission webhook alone, for bench/webhook-bench.sh: the production AdmissionServer,
 * AdmissionHandler and metrics observer over TLS (certificate from the cert-dir reloader, as in
 * cert-manager mode) on 127.0.0.1, with an in-memory lookup holding one ModelValidation. Writes the
 * CA to {@code <dir>/ca.crt}, the port to {@code <dir>/port} and the port of its {@code /metrics}
 * to {@code <dir>/metrics-port}, then serves until killed.
 *
 * <p>Usage: {@code BenchServer <dir>}
 */
public final class BenchServer {

  private BenchServer() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    DevelopmentCertificate.writeTo(dir, Instant.now());
    CertFileReloader tls = new CertFileReloader(dir).load();
    tls.startPolling(java.time.Duration.ofSeconds(10));
    OperatorMetrics metrics = new OperatorMetrics();
    ModelValidationLookup lookup = BenchFixtures.lookup();
    AdmissionHandler handler =
        new AdmissionHandler(WebhookSettings.defaults(true), lookup, ns -> Optional.of(Map.of()),
            Clock.systemUTC(), new AdmissionMetrics(metrics, lookup));
    AdmissionServer.Options defaults = AdmissionServer.Options.defaults(0);
    AdmissionServer server =
        new AdmissionServer(handler, tls,
            new AdmissionServer.Options(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                defaults.threads(), defaults.queueCapacity(), defaults.maxRequestBytes()));
    server.start();
    MetricsServer metricsServer =
        new MetricsServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics);
    Files.writeString(dir.resolve("metrics-port"), Integer.toString(metricsServer.address().getPort()));
    Path tmp = dir.resolve("port.tmp");
    Files.writeString(tmp, Integer.toString(server.address().getPort()));
    Files.move(tmp, dir.resolve("port"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    Thread.currentThread().join();
  }
}
