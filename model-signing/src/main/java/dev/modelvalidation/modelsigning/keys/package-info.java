/** EC keys (P-256, P-384, P-521 only) and certificates from PEM files, and the v1.1 public key hint (§8.2). */
package dev.modelvalidation.modelsigning.keys;
