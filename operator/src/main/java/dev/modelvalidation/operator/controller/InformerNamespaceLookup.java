package dev.modelvalidation.operator.controller;

import dev.modelvalidation.operator.webhook.NamespaceLookup;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The webhook's view of namespace labels: an informer cache (no API call per request). */
public final class InformerNamespaceLookup implements NamespaceLookup, AutoCloseable {

  private final SharedIndexInformer<Namespace> informer;

  private InformerNamespaceLookup(SharedIndexInformer<Namespace> informer) {
    this.informer = informer;
  }

  /** Starts an informer on namespaces (does not wait for the sync). */
  public static InformerNamespaceLookup start(KubernetesClient client) {
    Objects.requireNonNull(client, "client");
    SharedIndexInformer<Namespace> informer = client.namespaces().runnableInformer(0);
    // keep retrying when the API server is unreachable (the default is to stop for good)
    informer.exceptionHandler((started, error) -> true);
    informer.start();
    return new InformerNamespaceLookup(informer);
  }

  public boolean hasSynced() {
    return informer.hasSynced();
  }

  /**
   * The namespace's labels; empty if the namespace is unknown.
   *
   * @throws IllegalStateException before the cache has synced (the webhook then fails closed)
   */
  @Override
  public Optional<Map<String, String>> labels(String namespace) {
    if (!informer.hasSynced()) {
      throw new IllegalStateException("the namespace cache has not synced yet");
    }
    Namespace ns = informer.getStore().getByKey(namespace);
    if (ns == null) {
      return Optional.empty();
    }
    Map<String, String> labels = ns.getMetadata().getLabels();
    return Optional.of(labels == null ? Map.of() : Map.copyOf(labels));
  }

  @Override
  public void close() {
    informer.close();
  }
}
