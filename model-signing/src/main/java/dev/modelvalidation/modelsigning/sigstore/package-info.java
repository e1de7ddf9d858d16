/**
 * The keyless {@code sigstore} signing method: Fulcio certificate, Rekor transparency log, optional RFC 3161
 * timestamp, verified offline against a {@link dev.modelvalidation.modelsigning.sigstore.SigstoreTrust}.
 *
 * <p>Verification ({@link dev.modelvalidation.modelsigning.sigstore.SigstoreSignatureVerifier}) follows
 * sigstore-python's {@code Verifier.verify_dsse}. Who does what:
 * <ol>
 *   <li>Bundle shape (known mediaType, DSSE envelope, exactly one signature, exactly one tlog entry of version
 *       0.0.1/0.0.2, {@code certificate} rather than a chain in v0.3, at most 32 distinct timestamps): this package;
 *       inclusion proof present: sigstore-java's parser.</li>
 *   <li>Verified times: RFC 3161 timestamps against the trusted TSAs (sigstore-java); a SET or a verified
 *       timestamp is required (this package, sigstore-java's parser agrees); the integrated time counts only with a
 *       SET (this package).</li>
 *   <li>Leaf chains to a trusted Fulcio CA: sigstore-java, at the leaf's notBefore; the CA chain's validity at each
 *       verified time: this package.</li>
 *   <li>Embedded SCT against the trusted CT logs: sigstore-java.</li>
 *   <li>KeyUsage digitalSignature and EKU codeSigning: this package.</li>
 *   <li>Identity policy (SAN email/URI/otherName and OIDC issuer, exact): this package, with errors that name the
 *       certificate's values; sigstore-java's matcher as well when the SANs are email/URI only.</li>
 *   <li>Rekor SET, inclusion proof and checkpoint: sigstore-java; the Rekor key's validity at the integrated time:
 *       this package.</li>
 *   <li>Each verified time within the leaf's validity: this package (sigstore-java does it for timestamps
 *       only).</li>
 *   <li>DSSE signature (ECDSA over the PAE with the leaf key): sigstore-java.</li>
 *   <li>Log entry consistency: payload hash and signature (sigstore-java), entry certificate equals the bundle's
 *       (this package, for dsse 0.0.1; sigstore-java for 0.0.2).</li>
 * </ol>
 * The subject digest sigstore-java checks is read from the payload; callers recompute the root digest from the
 * payload's resources and compare the local model.
 */
package dev.modelvalidation.modelsigning.sigstore;
