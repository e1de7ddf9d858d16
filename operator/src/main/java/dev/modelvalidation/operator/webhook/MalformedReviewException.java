package dev.modelvalidation.operator.webhook;

/** The request body is not an AdmissionReview v1 request that can be answered (HTTP 400). */
public final class MalformedReviewException extends Exception {

  public MalformedReviewException(String message) {
    super(message);
  }
}
