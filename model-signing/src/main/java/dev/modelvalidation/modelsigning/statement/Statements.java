package dev.modelvalidation.modelsigning.statement;

/** Constants of the in-toto statement format (spec §6, §11.2). */
public final class Statements {
  private Statements() {}

  public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
  public static final String PREDICATE_TYPE = "https://model_signing/signature/v1.0";
  /** The v0.2 predicate, accepted on read only. */
  public static final String COMPAT_PREDICATE_TYPE = "https://model_signing/Digests/v0.1";
  /** The model name of a manifest read from a v0.2 payload. */
  public static final String COMPAT_MODEL_NAME = "compat-undefined-not-present";
  public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";
}
