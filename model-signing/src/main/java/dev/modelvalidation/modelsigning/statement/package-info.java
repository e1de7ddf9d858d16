/** The in-toto statement payload: written byte-compatible with Python, parsed strictly. */
package dev.modelvalidation.modelsigning.statement;
