/**
 * The ModelValidation controller (Java Operator SDK): {@link
 * dev.modelvalidation.operator.controller.ModelValidationReconciler} writes status from the spec and the
 * labelled pods and emits Events on verification failures; {@link
 * dev.modelvalidation.operator.controller.InformerModelValidationLookup} and {@link
 * dev.modelvalidation.operator.controller.InformerNamespaceLookup} give the webhook informer-cached
 * reads.
 */
package dev.modelvalidation.operator.controller;
