package dev.modelvalidation.operator.webhook;

/** Told about every answered admission request (metrics, events). Must not throw or block. */
@FunctionalInterface
public interface AdmissionObserver {

  AdmissionObserver NONE = decision -> {};

  void observe(AdmissionDecision decision);
}
