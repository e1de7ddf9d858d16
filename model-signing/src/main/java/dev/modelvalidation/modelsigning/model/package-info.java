/**
 * The model on disk: walking it with Python's ignore rules and symlink policy, resource names, model names, and the
 * code-point orders Python sorts with.
 */
package dev.modelvalidation.modelsigning.model;
