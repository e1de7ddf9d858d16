/**
 * The {@code ModelValidation} custom resource ({@code ml.sigstore.dev/v1alpha1}, short name {@code mv}).
 *
 * <p>These classes are the single source of the CRD: the fabric8 crd-generator-maven-plugin writes
 * {@code META-INF/fabric8/modelvalidations.ml.sigstore.dev-v1.yml} from them at build time, including
 * the OpenAPI validation (required fields, absolute-path patterns, defaults) and the CEL rules
 * (exactly one trust method). Field names follow upstream sigstore/model-validation-operator.
 */
package dev.modelvalidation.operator.api;
