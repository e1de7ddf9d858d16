package dev.modelvalidation.modelsigning;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.modelvalidation.modelsigning.json.JsonTrees;
import dev.modelvalidation.modelsigning.hashing.Serialization;
import dev.modelvalidation.modelsigning.manifest.Manifest;
import dev.modelvalidation.modelsigning.statement.StatementParser;
import dev.modelvalidation.modelsigning.statement.Statements;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The model hashed on a thread of its own while the caller checks the signature, so a verification takes about the
 * longer of the two rather than their sum (a keyless check costs about half a second; a 2 GiB model about a second on
 * two cores).
 *
 * <p>To know how to hash, the statement is read from the bundle unchecked. It decides which files of the model are read
 * and how (serialization, hash, ignore paths, signed names, each validated as after a check), and its result is used
 * only if the payload that then checks out is the very same bytes ({@link #resultFor}). What it could cost before it
 * is checked is bounded: shards below {@value #MIN_UNCHECKED_SHARD_SIZE} bytes wait for the check. A bundle that does
 * not give a statement (not JSON, no DSSE envelope, another payload type, a statement that does not parse) starts no
 * hashing; the caller then hashes after the check, which reports what is wrong. Closing stops a hashing still running
 * (the signature did not check out: the walk stops at the next file, the workers after their current piece) and waits
 * for its thread.
 */
final class EarlyHashing implements AutoCloseable {
  /** Hashes the model as a statement says. */
  @FunctionalInterface
  interface ModelHashing {
    Manifest hash(Manifest expected) throws ModelSigningException;
  }

  /** The statement read from the bundle, and the model hashed as it says. */
  record Result(Manifest expected, Manifest actual) {}

  /** What the thread did: nothing ({@code payload} null), or hashing that gave a manifest or failed. */
  private record Outcome(byte[] payload, Manifest expected, Manifest actual, ModelSigningException failure) {
    static final Outcome NONE = new Outcome(null, null, null, null);
  }

  private final FutureTask<Outcome> task;
  private final Thread thread;

  private EarlyHashing(FutureTask<Outcome> task, Thread thread) {
    this.task = task;
    this.thread = thread;
  }

  /**
   * Shards smaller than this are not hashed before the check: a statement nobody has checked yet could ask for shards
   * of one byte, a unit of work (and memory) per byte of the model.
   */
  static final long MIN_UNCHECKED_SHARD_SIZE = 1 << 20;

  /**
   * Starts reading the statement from {@code bundle} and hashing the model as it says. Where no thread can be started,
   * nothing is hashed early.
   */
  static EarlyHashing start(byte[] bundle, ModelHashing hashing) {
    FutureTask<Outcome> task = new FutureTask<>(() -> run(bundle, hashing));
    Thread thread = Thread.ofPlatform().daemon().name("model-verifier-hashing").unstarted(task);
    try {
      thread.start();
    } catch (OutOfMemoryError | RuntimeException e) { // "unable to create native thread": hash after the check
      task = new FutureTask<>(() -> Outcome.NONE);
      task.run();
    }
    return new EarlyHashing(task, thread);
  }

  private static Outcome run(byte[] bundle, ModelHashing hashing) {
    byte[] payload = uncheckedPayload(bundle);
    if (payload == null) {
      return Outcome.NONE;
    }
    Manifest expected;
    try {
      expected = StatementParser.parse(payload);
    } catch (ModelSigningException | RuntimeException e) {
      return Outcome.NONE; // parsed again after the check, which reports it
    }
    Serialization serialization = expected.serialization().serialization();
    if (serialization.method() == Serialization.Method.SHARDS
        && serialization.shardSize() < MIN_UNCHECKED_SHARD_SIZE) {
      return Outcome.NONE;
    }
    try {
      return new Outcome(payload, expected, hashing.hash(expected), null);
    } catch (ModelSigningException e) {
      return new Outcome(payload, expected, null, e);
    } catch (RuntimeException e) {
      return Outcome.NONE; // the hashing after the check meets it again, if the checked statement asks for the same
    }
  }

  /**
   * The in-toto payload of the bundle's DSSE envelope, not checked in any way; null if there is none. Read with a
   * streaming parser that decodes the payload's base64 straight from the input: no tree, no 4 MB string for a
   * 20,000-file model, and the bundle's other members skipped (this runs before any hashing starts). Of a repeated
   * member, the last counts, as in the bundle parser; the base64 is the standard alphabet with padding (what
   * protobuf's JSON writes). A payload read otherwise than the checked one only costs hashing after the check.
   */
  static byte[] uncheckedPayload(byte[] bundle) {
    try (JsonParser parser = JsonTrees.parser(bundle)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      byte[] payload = null;
      for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
        JsonToken token = parser.nextToken();
        if (name.equals("dsseEnvelope")) {
          payload = token == JsonToken.START_OBJECT ? envelopePayload(parser) : null;
        } else {
          parser.skipChildren();
        }
      }
      return payload;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  /** The payload of the envelope object the parser is in (its type checked), or null; leaves the parser at its end. */
  private static byte[] envelopePayload(JsonParser parser) throws IOException {
    String payloadType = null;
    byte[] payload = null;
    for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
      JsonToken token = parser.nextToken();
      if (name.equals("payloadType")) {
        payloadType = token == JsonToken.VALUE_STRING ? parser.getText() : null;
      } else if (name.equals("payload")) {
        payload = token == JsonToken.VALUE_STRING ? parser.getBinaryValue(Base64Variants.MIME_NO_LINEFEEDS) : null;
      } else {
        parser.skipChildren();
      }
    }
    return Statements.PAYLOAD_TYPE.equals(payloadType) ? payload : null;
  }

  /**
   * Waits for the hashing. Returns the statement and the model's manifest when {@code checkedPayload} (the payload whose
   * signature checked out) is the payload they came from; else null, and the caller hashes as the checked payload says.
   *
   * @throws ModelSigningException what hashing the model failed with (a missing model path, an unreadable file…)
   */
  Result resultFor(byte[] checkedPayload) throws ModelSigningException {
    Outcome outcome = await();
    if (outcome.payload() == null || !Arrays.equals(outcome.payload(), checkedPayload)) {
      return null;
    }
    if (outcome.failure() != null) {
      throw outcome.failure();
    }
    return new Result(outcome.expected(), outcome.actual());
  }

  private Outcome await() throws ModelSigningException {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelSigningException("Verification was interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Stops the hashing if it still runs (its result is not wanted) and waits until its thread has ended. */
  @Override
  public void close() {
    if (!task.isDone()) {
      thread.interrupt();
    }
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
