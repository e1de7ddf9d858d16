package dev.modelvalidation.modelsigning.dsse;

/** Which hashes to try with the v0.2 compat PAE after the standard PAE failed (§7). */
public enum CompatFallback {
  /**
   * Key method: the curve's hash, as Python does, then SHA-256 as well (a documented superset: v0.2.0 always
   * signed with SHA-256, which Python accepts only for P-256 keys).
   */
  CURVE_HASH_THEN_SHA256,
  /** Certificate method: SHA-256 whatever the curve, as v0.2.0 hard-coded it. */
  SHA256_ONLY
}
