package dev.modelvalidation.modelsigning;

import dev.modelvalidation.modelsigning.hashing.FileSpec;
import dev.modelvalidation.modelsigning.hashing.HashingEngine;
import dev.modelvalidation.modelsigning.hashing.ProgressListener;
import dev.modelvalidation.modelsigning.hashing.Serialization;
import dev.modelvalidation.modelsigning.manifest.Manifest;
import dev.modelvalidation.modelsigning.manifest.ManifestSerialization;
import dev.modelvalidation.modelsigning.manifest.ResourceDigest;
import dev.modelvalidation.modelsigning.model.IgnorePaths;
import dev.modelvalidation.modelsigning.model.IgnoreRules;
import dev.modelvalidation.modelsigning.model.ModelFile;
import dev.modelvalidation.modelsigning.model.ModelNames;
import dev.modelvalidation.modelsigning.model.ModelOrder;
import dev.modelvalidation.modelsigning.model.ModelWalker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Walks a model and hashes it into a {@link Manifest}, on a thread pool of its own (close it when done). Thread-safe.
 */
public final class ModelHasher implements AutoCloseable {
  private final HashingEngine engine;
  private final ProgressListener progress;

  /** A pool with one thread per available processor. */
  public ModelHasher() {
    this(Runtime.getRuntime().availableProcessors());
  }

  public ModelHasher(int threads) {
    this(threads, ProgressListener.NONE);
  }

  public ModelHasher(int threads, ProgressListener progress) {
    this.engine = new HashingEngine(threads);
    this.progress = progress == null ? ProgressListener.NONE : progress;
  }

  /**
   * Hashes a model as the {@code digest} command does: the options' ignore paths (CWD-relative) and git defaults, no
   * signature file ignored automatically.
   *
   * @throws ModelSigningException for a missing model path, an unreadable file, a special file, a refused symlink
   */
  public Manifest hash(Path modelPath, HashingOptions options) throws ModelSigningException {
    IgnoreRules rules = cliIgnoreRules(modelPath, options.ignorePaths(), options.ignoreGitPaths());
    return hash(modelPath, options.serialization(), rules, options.allowSymlinks());
  }

  /**
   * Hashes a model with already model-relative ignore rules. The rules' entries are recorded in the manifest's {@code
   * ignore_paths}.
   */
  public Manifest hash(Path modelPath, Serialization serialization, IgnoreRules ignore, boolean allowSymlinks)
      throws ModelSigningException {
    // the files are hashed while the walk goes on: for many small files, the walk costs about as much as the hashing
    List<ModelFile> files = new ArrayList<>();
    Integer[] order;
    byte[][][] digests;
    try (HashingEngine.Batch batch = engine.start(serialization, progress)) {
      ModelWalker.walk(
          modelPath,
          ignore,
          allowSymlinks,
          file -> {
            if (Thread.currentThread().isInterrupted()) {
              throw new ModelSigningException("Hashing was interrupted");
            }
            checkName(file, serialization);
            files.add(file);
            batch.add(new FileSpec(file.path(), file.size()));
          });
      order = canonicalOrder(files); // while the workers hash the last files
      digests = batch.finish();
    }
    return manifest(modelPath, files, order, digests, serialization, ignore, allowSymlinks);
  }

  /**
   * Hashes only the given signed paths of a model ({@code --ignore-unsigned-files}, spec §3.7).
   *
   * @param signedPaths model-relative file paths (for shards, the file paths without offsets)
   */
  public Manifest hashSigned(
      Path modelPath,
      Serialization serialization,
      IgnoreRules ignore,
      boolean allowSymlinks,
      Collection<String> signedPaths)
      throws ModelSigningException {
    List<ModelFile> files = ModelWalker.walkSigned(modelPath, signedPaths, ignore, allowSymlinks);
    List<FileSpec> specs = new ArrayList<>(files.size());
    for (ModelFile file : files) {
      checkName(file, serialization);
      specs.add(new FileSpec(file.path(), file.size()));
    }
    Integer[] order = canonicalOrder(files);
    byte[][][] digests = engine.hash(specs, serialization, progress);
    return manifest(modelPath, files, order, digests, serialization, ignore, allowSymlinks);
  }

  /**
   * The model-relative ignore rules for CLI-style paths (spec §3.2), plus the git defaults when asked.
   *
   * @throws ModelSigningException when the model path does not exist
   */
  public static IgnoreRules cliIgnoreRules(Path modelPath, Collection<Path> cliPaths, boolean ignoreGitPaths)
      throws ModelSigningException {
    ModelWalker.requireExists(modelPath);
    Path resolvedModel;
    try {
      resolvedModel = modelPath.toRealPath();
    } catch (IOException e) {
      resolvedModel = IgnorePaths.resolveLenient(modelPath);
    }
    List<String> entries = new ArrayList<>(IgnorePaths.toModelRelative(resolvedModel, cliPaths));
    if (ignoreGitPaths) {
      entries.addAll(IgnoreRules.GIT_PATHS);
    }
    return IgnoreRules.of(entries);
  }

  private static void checkName(ModelFile file, Serialization serialization) throws ModelSigningException {
    if (serialization.method() == Serialization.Method.SHARDS && file.name().indexOf(':') >= 0) {
      throw new ModelSigningException(
          "Cannot use shard serialization for '" + file.path() + "': file names containing ':' are not supported");
    }
  }

  /**
   * The indexes of {@code files} in manifest order (by resource name, {@link ModelOrder#PATH_ORDER}).
   *
   * @throws ModelSigningException when two files give the same resource name
   */
  private static Integer[] canonicalOrder(List<ModelFile> files) throws ModelSigningException {
    Integer[] order = new Integer[files.size()];
    String[] keys = new String[files.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
      keys[i] = ModelOrder.pathKey(files.get(i).name());
    }
    java.util.Arrays.sort(order, (x, y) -> keys[x].compareTo(keys[y])); // ModelOrder.PATH_ORDER
    // The loops call a method per file: with the C1 compiler alone, a loop body stays interpreted for tens of
    // thousands of turns, a method is compiled after a few hundred calls.
    for (int k = 1; k < order.length; k++) {
      requireDistinctNames(files.get(order[k - 1]), files.get(order[k]));
    }
    return order;
  }

  /** The manifest of the hashed files ({@code digests[i]} belongs to {@code files.get(i)}, taken in {@code order}). */
  private Manifest manifest(
      Path modelPath,
      List<ModelFile> files,
      Integer[] order,
      byte[][][] digests,
      Serialization serialization,
      IgnoreRules ignore,
      boolean allowSymlinks) {
    List<ResourceDigest> resources = new ArrayList<>(files.size());
    for (int i : order) {
      addResources(resources, files.get(i), digests[i], serialization);
    }
    // files are sorted by path and shards come in offset order: the list is already canonical
    return Manifest.inGivenOrder(
        ModelNames.modelName(modelPath),
        resources,
        new ManifestSerialization(serialization, allowSymlinks, ignore.recorded()),
        engine::sha256);
  }

  /** Neighbours in sorted order must differ, or one manifest entry could hide the other's changes. */
  private static void requireDistinctNames(ModelFile previous, ModelFile current) throws ModelSigningException {
    if (current.name().equals(previous.name())) {
      // e.g. two names that are not valid UTF-8 both decode to U+FFFD
      throw new ModelSigningException(
          "Cannot use '" + previous.path() + "' and '" + current.path()
              + "': both give the resource name '" + current.name()
              + "' (file names must be valid UTF-8)");
    }
  }

  /** The file's manifest entries: one for {@code files}, one per shard in offset order for {@code shards}. */
  private static void addResources(
      List<ResourceDigest> resources, ModelFile file, byte[][] digests, Serialization serialization) {
    String algorithm = serialization.resourceAlgorithm();
    if (serialization.method() != Serialization.Method.SHARDS) {
      resources.add(new ResourceDigest(file.name(), algorithm, digests[0]));
      return;
    }
    long[] starts = HashingEngine.shardStarts(file.size(), serialization.shardSize());
    for (int s = 0; s < starts.length; s++) {
      long end = Math.min(starts[s] + serialization.shardSize(), file.size());
      resources.add(new ResourceDigest(file.name() + ":" + starts[s] + ":" + end, algorithm, digests[s]));
    }
  }

  /** Stops the thread pool. */
  @Override
  public void close() {
    engine.close();
  }
}
