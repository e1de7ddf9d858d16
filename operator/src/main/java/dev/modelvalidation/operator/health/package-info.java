/** Liveness ({@code /healthz}) and readiness ({@code /readyz}) probes over plain HTTP. */
package dev.modelvalidation.operator.health;
