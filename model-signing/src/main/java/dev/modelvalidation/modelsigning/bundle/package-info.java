/**
 * Sigstore bundle JSON as model signatures use it (§8.1, §8.6): a strict reader, a byte-exact v1.1 writer for the key
 * and certificate methods, and an inspector that tells the signing method.
 */
package dev.modelvalidation.modelsigning.bundle;
