/**
 * Prometheus metrics ({@code model_validation_*}) in a Micrometer registry, fed by the webhook's
 * admission decisions and the controller's verification results, served on {@code /metrics}.
 */
package dev.modelvalidation.operator.metrics;
