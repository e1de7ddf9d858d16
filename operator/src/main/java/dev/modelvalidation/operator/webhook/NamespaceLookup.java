package dev.modelvalidation.operator.webhook;

import java.util.Map;
import java.util.Optional;

/** The labels of a namespace (in the operator: an informer cache), empty if it is unknown. */
@FunctionalInterface
public interface NamespaceLookup {

  Optional<Map<String, String>> labels(String namespace);
}
