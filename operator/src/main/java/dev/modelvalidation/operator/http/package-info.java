/** Plain-HTTP plumbing shared by the health and metrics endpoints. */
package dev.modelvalidation.operator.http;
