package dev.modelvalidation.modelsigning;

import dev.modelvalidation.modelsigning.hashing.Serialization;
import dev.modelvalidation.modelsigning.manifest.Manifest;
import dev.modelvalidation.modelsigning.manifest.ManifestDiff;
import dev.modelvalidation.modelsigning.manifest.ResourceDigest;
import dev.modelvalidation.modelsigning.manifest.ShardName;
import dev.modelvalidation.modelsigning.model.IgnoreRules;
import dev.modelvalidation.modelsigning.signature.SignatureVerifier;
import dev.modelvalidation.modelsigning.signature.VerifiedPayload;
import dev.modelvalidation.modelsigning.statement.StatementParser;
import dev.modelvalidation.modelsigning.statement.Statements;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Verifies a model against its signature file (spec §9). */
public final class ModelVerifier {
  private final SignatureVerifier verifier;
  private final ModelHasher hasher;

  public ModelVerifier(SignatureVerifier verifier, ModelHasher hasher) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.hasher = Objects.requireNonNull(hasher, "hasher");
  }

  /**
   * Reads the signature file, checks the signature ({@link SignatureVerifier#verify}), the payload type and the
   * statement (including its root digest), then hashes the local model with the serialization recorded in the
   * signature (method, hash, shard size: beyond Python's CLI, which always uses files/sha256, so every signature made
   * by this library or by Python verifies), {@code allowSymlinks} from the options (like Python's CLI), and the ignore
   * set of spec §3.6 (options' paths, the signature path, git defaults if on, and the signature's {@code ignore_paths}),
   * and compares the manifests.
   *
   * <p>The model is hashed while the signature is checked (see {@link EarlyHashing}): the outcome and the order in
   * which errors are reported are those of checking first and hashing after.
   *
   * @throws VerificationException when the signature, the statement or the model does not verify; a model mismatch
   *     reads {@code Signature mismatch: ["Extra files found in model '…': …", …]}
   * @throws ModelSigningException when a file cannot be read and the like
   */
  public VerificationResult verify(Path modelPath, Path signaturePath, VerifyOptions options)
      throws ModelSigningException {
    byte[] bundle = readSignature(signaturePath);
    try (EarlyHashing early =
        EarlyHashing.start(bundle, statement -> hash(modelPath, signaturePath, options, statement))) {
      VerifiedPayload verified = verifier.verify(bundle);
      try {
        if (!Statements.PAYLOAD_TYPE.equals(verified.payloadType())) {
          throw new VerificationException(
              "Expected DSSE payload " + Statements.PAYLOAD_TYPE + ", but got " + verified.payloadType());
        }
        byte[] payload = verified.payload();
        EarlyHashing.Result result = early.resultFor(payload);
        Manifest expected = result != null ? result.expected() : StatementParser.parse(payload);
        Manifest actual = result != null ? result.actual() : hash(modelPath, signaturePath, options, expected);
        List<String> differences = ManifestDiff.differences(expected, actual);
        if (!differences.isEmpty()) {
          throw new VerificationException(ManifestDiff.mismatchMessage(differences));
        }
        return new VerificationResult(expected, verified.warnings());
      } catch (ModelSigningException e) {
        throw e.withEarlierWarnings(verified.warnings()); // found by the signature check, before this failure
      }
    }
  }

  /** Hashes the model as the statement {@code expected} says (checked, or being checked: see {@link EarlyHashing}). */
  private Manifest hash(Path modelPath, Path signaturePath, VerifyOptions options, Manifest expected)
      throws ModelSigningException {
    List<Path> ignore = new ArrayList<>(options.ignorePaths());
    ignore.add(signaturePath);
    IgnoreRules rules =
        ModelHasher.cliIgnoreRules(modelPath, ignore, options.ignoreGitPaths())
            .with(expected.serialization().ignorePaths());
    Serialization serialization = expected.serialization().serialization();
    if (options.ignoreUnsignedFiles()) {
      return hasher.hashSigned(modelPath, serialization, rules, options.allowSymlinks(), signedPaths(expected));
    }
    return hasher.hash(modelPath, serialization, rules, options.allowSymlinks());
  }

  private static Set<String> signedPaths(Manifest expected) {
    Set<String> paths = new LinkedHashSet<>();
    boolean sharded = expected.serialization().serialization().method() == Serialization.Method.SHARDS;
    for (ResourceDigest r : expected.resources()) {
      paths.add(sharded ? ShardName.parse(r.name()).path() : r.name());
    }
    return paths;
  }

  private static byte[] readSignature(Path signaturePath) throws ModelSigningException {
    try {
      return Files.readAllBytes(signaturePath);
    } catch (NoSuchFileException e) {
      throw new ModelSigningException("Cannot read signature file '" + signaturePath + "': no such file", e);
    } catch (AccessDeniedException e) {
      throw new ModelSigningException("Cannot read signature file '" + signaturePath + "': permission denied", e);
    } catch (IOException e) {
      throw new ModelSigningException("Cannot read signature file '" + signaturePath + "': " + e.getMessage(), e);
    }
  }
}
