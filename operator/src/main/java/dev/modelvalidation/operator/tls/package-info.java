/**
 * Serving certificates of the admission webhook: {@link
 * dev.modelvalidation.operator.tls.CertFileReloader} (cert-manager mode: PEM files in the cert dir,
 * reloaded on change), {@link dev.modelvalidation.operator.tls.CertificateManager} (self-managed: CA and
 * certificate in a Secret, caBundle patched into the MutatingWebhookConfiguration, renewed) and {@link
 * dev.modelvalidation.operator.tls.DevelopmentCertificate} (local development).
 */
package dev.modelvalidation.operator.tls;
