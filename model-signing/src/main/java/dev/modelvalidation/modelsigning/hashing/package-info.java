/**
 * Hash algorithms (SHA-256, BLAKE2b, BLAKE3), serialization methods ({@code files}, {@code shards}) and the parallel
 * hashing engine that turns files into digests.
 */
package dev.modelvalidation.modelsigning.hashing;
