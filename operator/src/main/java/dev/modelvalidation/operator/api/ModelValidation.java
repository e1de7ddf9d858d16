package dev.modelvalidation.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A ModelValidation names a model inside pods and how its signature must be verified. Pods labelled
 * {@code validation.ml.sigstore.dev/ml: <name>} get a verifier init container built from it.
 */
@Group(ModelValidation.GROUP)
@Version(ModelValidation.VERSION)
@Kind("ModelValidation")
@Plural("modelvalidations")
@Singular("modelvalidation")
@ShortNames("mv")
@AdditionalPrinterColumn(name = "Auth Method", jsonPath = ".status.authMethod", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Injected Pods", jsonPath = ".status.injectedPodCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Verified Pods", jsonPath = ".status.verifiedPodCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Failed Pods", jsonPath = ".status.failedPodCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Model Path", jsonPath = ".spec.model.path", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ModelValidation extends CustomResource<ModelValidationSpec, ModelValidationStatus>
    implements Namespaced {

  public static final String GROUP = "ml.sigstore.dev";
  public static final String VERSION = "v1alpha1";

  /** The CRD's name, {@code modelvalidations.ml.sigstore.dev}. */
  public static final String CRD_NAME = "modelvalidations." + GROUP;
}
