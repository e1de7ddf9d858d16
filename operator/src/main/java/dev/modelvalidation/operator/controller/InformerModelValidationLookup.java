package dev.modelvalidation.operator.controller;

import dev.modelvalidation.operator.api.ModelValidation;
import dev.modelvalidation.operator.webhook.ModelValidationLookup;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The webhook's view of ModelValidations: an informer cache over all namespaces (no API call per
 * admission request). Runs on every replica, leader or not. Until the cache has synced, lookups throw
 * (the webhook then denies: fail closed).
 */
public final class InformerModelValidationLookup implements ModelValidationLookup, AutoCloseable {

  private final SharedIndexInformer<ModelValidation> informer;

  private InformerModelValidationLookup(SharedIndexInformer<ModelValidation> informer) {
    this.informer = informer;
  }

  /** Starts an informer on ModelValidations in all namespaces (does not wait for the sync). */
  public static InformerModelValidationLookup start(KubernetesClient client) {
    Objects.requireNonNull(client, "client");
    SharedIndexInformer<ModelValidation> informer =
        client.resources(ModelValidation.class).inAnyNamespace().runnableInformer(0);
    // keep retrying when the API server is unreachable (the default is to stop for good)
    informer.exceptionHandler((started, error) -> true);
    informer.start();
    return new InformerModelValidationLookup(informer);
  }

  /** Whether the cache holds the full list. */
  public boolean hasSynced() {
    return informer.hasSynced();
  }

  @Override
  public Optional<ModelValidation> get(String namespace, String name) {
    requireSynced();
    return Optional.ofNullable(informer.getStore().getByKey(namespace + "/" + name));
  }

  @Override
  public List<ModelValidation> list(String namespace) {
    requireSynced();
    return List.copyOf(informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace));
  }

  private void requireSynced() {
    if (!informer.hasSynced()) {
      throw new IllegalStateException("the ModelValidation cache has not synced yet");
    }
  }

  @Override
  public void close() {
    informer.close();
  }
}
