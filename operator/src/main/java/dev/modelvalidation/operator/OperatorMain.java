package dev.modelvalidation.operator;

import dev.modelvalidation.operator.api.ModelValidation;
import dev.modelvalidation.operator.controller.InformerModelValidationLookup;
import dev.modelvalidation.operator.controller.InformerNamespaceLookup;
import dev.modelvalidation.operator.controller.ModelValidationReconciler;
import dev.modelvalidation.operator.health.ProbeServer;
import dev.modelvalidation.operator.metrics.AdmissionMetrics;
import dev.modelvalidation.operator.metrics.MetricsServer;
import dev.modelvalidation.operator.metrics.OperatorMetrics;
import dev.modelvalidation.operator.tls.CertFileReloader;
import dev.modelvalidation.operator.tls.CertificateManager;
import dev.modelvalidation.operator.tls.DevelopmentCertificate;
import dev.modelvalidation.operator.tls.TlsException;
import dev.modelvalidation.operator.webhook.AdmissionHandler;
import dev.modelvalidation.operator.webhook.AdmissionServer;
import dev.modelvalidation.operator.webhook.SidecarSupport;
import dev.modelvalidation.operator.webhook.WebhookConstants;
import dev.modelvalidation.operator.webhook.WebhookSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process: ModelValidation reconciler (JOSDK, optional leader election), the pod
 * admission webhook over HTTPS, {@code /metrics} and the {@code /healthz} / {@code /readyz} probes.
 *
 * <p>Settings come from {@code MODEL_VALIDATION_*} environment variables ({@link OperatorSettings}).
 * {@code --local} (or {@code MODEL_VALIDATION_LOCAL=true}) is development mode: it uses the current
 * kubeconfig, turns leader election off unless asked for, and serves the webhook on
 * https://localhost:&lt;port&gt; with a generated certificate whose files it prints.
 */
public final class OperatorMain implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private volatile InetSocketAddress webhookAddress;
  private volatile InetSocketAddress metricsAddress;
  private volatile InetSocketAddress healthAddress;

  /**
   * Limits of the JDK's HTTP server (webhook, metrics, health), unless given on the command line with {@code -D}. By
   * default it waits forever for a request, so a few clients that connect and stall (a slow-loris) would hold every
   * worker thread and block admission; the API server itself waits at most 30 s for a webhook.
   */
  static final Map<String, String> HTTP_SERVER_LIMITS =
      Map.of("sun.net.httpserver.maxReqTime", "30", "sun.net.httpserver.maxRspTime", "30");

  /** Sets {@link #HTTP_SERVER_LIMITS} where unset; must run before the first HTTP server class is loaded. */
  static void limitHttpServers(java.util.Properties properties) {
    HTTP_SERVER_LIMITS.forEach(properties::putIfAbsent);
  }

  public static void main(String[] args) {
    limitHttpServers(System.getProperties());
    boolean local = false;
    for (String a : args) {
      switch (a) {
        case "--local" -> local = true;
        case "-h", "--help" -> {
          System.out.println(
              "usage: model-validation-operator [--local]\n"
                  + "  settings come from MODEL_VALIDATION_* environment variables;\n"
                  + "  --local: use the current kubeconfig and serve the webhook on https://localhost");
          return;
        }
        default -> {
          System.err.println("model-validation-operator: unknown argument '" + a + "' (try --help)");
          System.exit(2);
        }
      }
    }
    OperatorMain main = new OperatorMain();
    CountDownLatch stopped = new CountDownLatch(1);
    try {
      OperatorSettings settings = OperatorSettings.fromEnvironment(System.getenv(), local);
      main.start(settings);
    } catch (IOException | RuntimeException e) {
      // settings, TLS material, API server unreachable at startup (JOSDK stops on informer errors)
      System.err.println("model-validation-operator: " + describe(e));
      main.close();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down");
      main.close();
      stopped.countDown();
    }, "shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts every component; on failure the caller closes what was started. */
  void start(OperatorSettings s) throws IOException {
    KubernetesClient client = new KubernetesClientBuilder().build();
    resources.push(client);
    start(s, client);
  }

  /** Starts every component on this client (which the caller closes). */
  void start(OperatorSettings s, KubernetesClient client) throws IOException {
    LOG.info("starting: tls-mode={} namespace={} leader-election={} local={}",
        s.tlsMode().value(), s.namespace(), s.leaderElection(), s.local());
    OperatorMetrics metrics = new OperatorMetrics();
    new JvmMemoryMetrics().bindTo(metrics.registry());
    new JvmThreadMetrics().bindTo(metrics.registry());
    new ProcessorMetrics().bindTo(metrics.registry());
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(metrics.registry());
    resources.push(gc);

    InformerModelValidationLookup modelValidations = InformerModelValidationLookup.start(client);
    resources.push(modelValidations);
    InformerNamespaceLookup namespaces = InformerNamespaceLookup.start(client);
    resources.push(namespaces);

    Map<String, BooleanSupplier> readiness = new LinkedHashMap<>();
    readiness.put("modelvalidation-cache", modelValidations::hasSynced);
    readiness.put("namespace-cache", namespaces::hasSynced);

    Supplier<SSLContext> tls = tls(s, client);
    if (tls != null) {
      readiness.put("tls", () -> tls.get() != null);
      VersionInfo version = serverVersion(client);
      WebhookSettings webhook =
          new WebhookSettings(
              s.verifierImage(),
              s.namespace(),
              SidecarSupport.parse(s.continuousSidecar())
                  .resolve(version == null ? "0" : version.getMajor(),
                      version == null ? "0" : version.getMinor()),
              WebhookConstants.DEFAULT_INJECTED_BY);
      LOG.info("webhook: verifier image {}, native sidecars {}", webhook.verifierImage(),
          webhook.nativeSidecars());
      AdmissionHandler handler =
          new AdmissionHandler(webhook, modelValidations, namespaces, Clock.systemUTC(),
              new AdmissionMetrics(metrics, modelValidations));
      InetAddress bind = s.local() ? InetAddress.getLoopbackAddress() : null;
      AdmissionServer.Options defaults = AdmissionServer.Options.defaults(s.webhookPort());
      AdmissionServer server =
          new AdmissionServer(handler, tls,
              new AdmissionServer.Options(
                  bind == null ? new InetSocketAddress(s.webhookPort()) : new InetSocketAddress(bind, s.webhookPort()),
                  defaults.threads(), defaults.queueCapacity(), defaults.maxRequestBytes()));
      server.start();
      resources.push(server);
      webhookAddress = server.address();
      if (s.local()) {
        System.out.println("webhook: https://localhost:" + server.address().getPort()
            + WebhookConstants.MUTATE_PATH);
      }
    } else {
      LOG.info("MODEL_VALIDATION_TLS_MODE=none: no admission webhook server");
    }

    MetricsServer metricsServer =
        new MetricsServer(new InetSocketAddress(s.metricsPort()), metrics);
    resources.push(metricsServer);
    metricsAddress = metricsServer.address();
    ProbeServer probes = new ProbeServer(new InetSocketAddress(s.healthPort()), readiness);
    resources.push(probes);
    healthAddress = probes.address();

    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false);
              if (s.leaderElection()) {
                o.withLeaderElectionConfiguration(leaderElection(s.namespace()));
              }
            });
    operator.register(
        new ModelValidationReconciler(Clock.systemUTC(), metrics, ModelValidationReconciler.DEFAULT_MAX_LISTED));
    resources.push(operator::stop);
    operator.start();
    LOG.info("started: metrics on :{}{}, probes on :{} (/healthz, /readyz), {} reconciler for {}",
        s.metricsPort(), MetricsServer.PATH, s.healthPort(), ModelValidationReconciler.NAME,
        ModelValidation.CRD_NAME);
  }

  /**
   * Lease {@value OperatorSettings#LEASE_NAME} in the operator namespace. A replica that loses the
   * lease exits (status 1) so Kubernetes restarts it as a follower, but not while it is shutting down
   * (JOSDK's own exit-on-stop-leading would call System.exit from inside the shutdown).
   */
  private LeaderElectionConfiguration leaderElection(String namespace) {
    LeaderCallbacks callbacks =
        new LeaderCallbacks(
            () -> LOG.info("became the leader: reconciling"),
            () -> {
              if (!shuttingDown.get()) {
                LOG.error("lost the leader lease; exiting so that the pod restarts as a follower");
                new Thread(() -> System.exit(1), "exit-on-lost-lease").start();
              }
            },
            leader -> LOG.info("leader is {}", leader));
    return new LeaderElectionConfiguration(
        OperatorSettings.LEASE_NAME,
        namespace,
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        null,
        callbacks,
        false);
  }

  /** The serving certificate source for the TLS mode, or null for mode none. */
  private Supplier<SSLContext> tls(OperatorSettings s, KubernetesClient client) throws IOException {
    if (s.local()) {
      // like controller-runtime's `make run`: certificates in the cert dir, generated if missing
      Path dir = s.certDir();
      if (Files.isRegularFile(dir.resolve(CertFileReloader.CERT_FILE))
          && Files.isRegularFile(dir.resolve(CertFileReloader.KEY_FILE))) {
        System.out.println("using the serving certificate in " + dir);
      } else {
        DevelopmentCertificate.writeTo(dir, Clock.systemUTC().instant());
        System.out.println("development serving certificate for localhost/127.0.0.1 written to " + dir
            + " (tls.crt, tls.key; ca.crt is the caBundle for a webhook pointing at this process)");
      }
      CertFileReloader reloader = new CertFileReloader(dir).load();
      reloader.startPolling(Duration.ofSeconds(10));
      resources.push(reloader);
      return reloader;
    }
    return switch (s.tlsMode()) {
      case NONE -> null;
      case CERT_MANAGER -> {
        CertFileReloader reloader = new CertFileReloader(s.certDir()).load();
        reloader.startPolling(Duration.ofSeconds(10));
        resources.push(reloader);
        yield reloader;
      }
      case SELF_MANAGED -> {
        CertificateManager manager =
            new CertificateManager(
                client,
                CertificateManager.Options.defaults(
                    s.namespace(), s.tlsSecretName(), s.webhookServiceName(), s.webhookConfigName()),
                Clock.systemUTC());
        manager.ensureCertificate();
        manager.start(Duration.ofMinutes(5));
        resources.push(manager);
        yield manager;
      }
    };
  }

  private static VersionInfo serverVersion(KubernetesClient client) {
    try {
      return client.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      LOG.warn("cannot read the API server version ({}); native sidecars only if "
          + "MODEL_VALIDATION_CONTINUOUS_SIDECAR=true", e.getMessage());
      return null;
    }
  }

  /** Where the webhook listens (null without a webhook). */
  InetSocketAddress webhookAddress() {
    return webhookAddress;
  }

  InetSocketAddress metricsAddress() {
    return metricsAddress;
  }

  InetSocketAddress healthAddress() {
    return healthAddress;
  }

  /** Stops everything started, newest first. */
  @Override
  public void close() {
    shuttingDown.set(true);
    while (!resources.isEmpty()) {
      AutoCloseable r = resources.pop();
      try {
        r.close();
      } catch (Exception e) {
        LOG.warn("error while stopping: {}", e.toString());
      }
    }
  }

  /** The failure and its innermost cause, e.g. "Error starting operator: ConnectException". */
  private static String describe(Throwable e) {
    if (e instanceof IllegalArgumentException || e instanceof TlsException || e.getCause() == null) {
      return oneLine(e);
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String rootText = root.getMessage() == null ? root.getClass().getSimpleName() : oneLine(root);
    return oneLine(e) + ": " + rootText;
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return Arrays.stream(m.split("\\R")).findFirst().orElse(m);
  }
}
