/** DSSE envelopes: the PAE (standard and the v0.2 compat form) and ECDSA signing/verification over it (§7). */
package dev.modelvalidation.modelsigning.dsse;
