/** Manifests: ordered resource digests, the root digest, and the comparison of a signed and a local manifest. */
package dev.modelvalidation.modelsigning.manifest;
