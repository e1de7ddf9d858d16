package dev.modelvalidation.modelsigning;

import dev.modelvalidation.modelsigning.manifest.Manifest;
import dev.modelvalidation.modelsigning.model.IgnoreRules;
import dev.modelvalidation.modelsigning.signature.PayloadSigner;
import dev.modelvalidation.modelsigning.statement.StatementWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Signs a model: hash, in-toto statement, signature bundle, written atomically (spec §10.3). */
public final class ModelSigner {
  private final PayloadSigner signer;
  private final ModelHasher hasher;

  public ModelSigner(PayloadSigner signer, ModelHasher hasher) {
    this.signer = Objects.requireNonNull(signer, "signer");
    this.hasher = Objects.requireNonNull(hasher, "hasher");
  }

  /**
   * Hashes the model (auto-ignoring the signature path as in spec §3.3), builds the statement, signs it and writes the
   * bundle atomically: a temporary file in the signature's directory is moved over the target, so there is never a
   * partial file, and an existing signature is replaced only on success.
   */
  public void sign(Path modelPath, Path signaturePath, HashingOptions options) throws ModelSigningException {
    signAndGetManifest(modelPath, signaturePath, options);
  }

  /** Like {@link #sign(Path, Path, HashingOptions)}, and returns the signed manifest. */
  public Manifest signAndGetManifest(Path modelPath, Path signaturePath, HashingOptions options)
      throws ModelSigningException {
    List<Path> ignore = new ArrayList<>(options.ignorePaths());
    ignore.add(signaturePath);
    IgnoreRules rules = ModelHasher.cliIgnoreRules(modelPath, ignore, options.ignoreGitPaths());
    Manifest manifest = hasher.hash(modelPath, options.serialization(), rules, options.allowSymlinks());
    byte[] payload = StatementWriter.write(manifest);
    byte[] bundle = signer.sign(payload);
    writeAtomically(signaturePath, bundle);
    return manifest;
  }

  static void writeAtomically(Path target, byte[] bytes) throws ModelSigningException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new ModelSigningException(
          "Cannot write signature '" + target + "': directory '" + dir + "' does not exist");
    }
    if (Files.isDirectory(absolute)) {
      throw new ModelSigningException("Cannot write signature '" + target + "': it is a directory");
    }
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true); // the content is on disk before the rename makes it visible
      }
      try {
        Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      String reason =
          e instanceof AccessDeniedException
              ? "permission denied"
              : e instanceof NoSuchFileException ? "no such directory" : String.valueOf(e.getMessage());
      throw new ModelSigningException("Cannot write signature '" + target + "': " + reason, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: nothing else to do
        }
      }
    }
  }
}
