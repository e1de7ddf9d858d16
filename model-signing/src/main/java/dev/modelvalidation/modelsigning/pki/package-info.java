/**
 * X.509 path validation for the certificate method (§8.3): self-signed anchors from the chain files, check time at the
 * leaf's notBefore, no revocation, and the leaf usage rule.
 */
package dev.modelvalidation.modelsigning.pki;
