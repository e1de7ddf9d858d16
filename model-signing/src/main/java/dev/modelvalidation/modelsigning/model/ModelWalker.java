package dev.modelvalidation.modelsigning.model;

import dev.modelvalidation.modelsigning.ModelSigningException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;

/**
 * Enumerates the files of a model (spec §2.2) with the ignore rules (§3.4) and the symlink policy.
 *
 * <p>For every candidate (the model path, then everything below it; symlinked directories are never entered):
 *
 * <ol>
 *   <li>an ignored candidate is skipped, before any type check, so an ignored symlink, FIFO or broken link is fine;
 *   <li>a symlink is an error unless symlinks are allowed;
 *   <li>the candidate, following symlinks, must be a regular file or a directory, else an error;
 *   <li>regular files become {@link ModelFile}s; directories give nothing.
 * </ol>
 *
 * A symlink to a file (when allowed) is read through, even if its target lies outside the model, as Python does; its
 * name is the link's own path, which is always inside the model.
 *
 * <p>Divergence from Python: a directory that cannot be listed is an error here; Python's glob skips it silently.
 */
public final class ModelWalker {
  private ModelWalker() {}

  /**
   * Walks the model.
   *
   * @return the model's files, in walk order (unsorted); a single-file model gives one file named {@code .}
   */
  public static List<ModelFile> walk(Path modelPath, IgnoreRules ignore, boolean allowSymlinks)
      throws ModelSigningException {
    List<ModelFile> files = new ArrayList<>();
    walk(modelPath, ignore, allowSymlinks, files::add);
    return files;
  }

  /** Receives the files of a walk as they are found. */
  @FunctionalInterface
  public interface FileSink {
    void accept(ModelFile file) throws ModelSigningException;
  }

  /**
   * Walks the model and hands each file to {@code sink} as soon as it is found (on the calling thread, in walk order),
   * so the files can be hashed while the walk goes on. A failure stops the walk.
   */
  public static void walk(Path modelPath, IgnoreRules ignore, boolean allowSymlinks, FileSink sink)
      throws ModelSigningException {
    if (ignore.isIgnoredRelative("")) {
      requireExists(modelPath);
      return;
    }
    BasicFileAttributes root = checkedAttributes(modelPath, allowSymlinks).attrs();
    if (root.isRegularFile()) {
      sink.accept(new ModelFile(".", modelPath, root.size()));
      return;
    }
    Deque<Dir> pending = new ArrayDeque<>();
    pending.push(new Dir(modelPath, ""));
    while (!pending.isEmpty()) {
      Dir dir = pending.pop();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir.path())) {
        for (Path entry : entries) {
          Dir subdirectory = visit(dir, entries, entry, ignore, allowSymlinks, sink);
          if (subdirectory != null) {
            pending.push(subdirectory);
          }
        }
      } catch (IOException | java.nio.file.DirectoryIteratorException e) {
        throw new ModelSigningException("Cannot read directory '" + dir.path() + "': " + reason(e), e);
      }
    }
  }

  /**
   * One directory entry: handed to the sink if it is a file, returned if it is a directory to enter, else null. A
   * method rather than the loop's body: with the C1 compiler alone, a loop stays interpreted for tens of thousands
   * of turns, a method is compiled after a few hundred calls.
   */
  private static Dir visit(
      Dir dir,
      DirectoryStream<Path> entries,
      Path entry,
      IgnoreRules ignore,
      boolean allowSymlinks,
      FileSink sink)
      throws ModelSigningException {
    Path name = entry.getFileName();
    String fileName = name.toString();
    String relative = dir.relative().isEmpty() ? fileName : dir.relative() + "/" + fileName;
    if (ignore.isIgnoredRelative(relative)) {
      return null;
    }
    Checked checked = checkedAttributes(entries, name, entry, allowSymlinks);
    if (checked.attrs().isRegularFile()) {
      sink.accept(new ModelFile(relative, entry, checked.attrs().size()));
      return null;
    }
    return checked.symlink() ? null : new Dir(entry, relative);
  }

  /**
   * The walk for {@code --ignore-unsigned-files} (spec §3.7): only the signed paths are looked at, in sorted order,
   * each checked like a walked candidate. A missing signed file is the "Cannot use … as file or directory" error; a
   * signed path that is now a directory, or that lies below a symlinked directory, gives nothing (a later
   * <em>Missing</em> difference).
   *
   * @param signedPaths model-relative file paths from the signature ({@code .} for a single-file model)
   * @throws ModelSigningException also when a signed path is absolute or contains {@code ..}: such a name would make
   *     the verifier read outside the model, so it is refused (Python follows it)
   */
  public static List<ModelFile> walkSigned(
      Path modelPath, Collection<String> signedPaths, IgnoreRules ignore, boolean allowSymlinks)
      throws ModelSigningException {
    TreeSet<String> names = new TreeSet<>(ModelOrder.PATH_ORDER);
    for (String name : signedPaths) {
      if (PosixNames.isAbsolute(name) || PosixNames.hasParentReference(name)) {
        throw new ModelSigningException(
            "Refusing signed resource name '"
                + name
                + "' with --ignore-unsigned-files: it is absolute or contains '..' and would point outside the model");
      }
      names.add(PosixNames.normalize(name));
    }
    requireExists(modelPath);
    if (Files.isSymbolicLink(modelPath) && !allowSymlinks) {
      throw symlinkError(modelPath);
    }
    List<ModelFile> files = new ArrayList<>();
    for (String name : names) {
      String relative = name.equals(".") ? "" : name;
      if (ignore.isIgnoredRelative(relative)) {
        continue;
      }
      Path candidate = relative.isEmpty() ? modelPath : modelPath.resolve(relative);
      if (!relative.isEmpty() && passesThroughSymlink(modelPath, relative, allowSymlinks)) {
        continue;
      }
      BasicFileAttributes attrs = checkedAttributes(candidate, allowSymlinks).attrs();
      if (attrs.isRegularFile()) {
        files.add(new ModelFile(name, candidate, attrs.size()));
      }
    }
    return files;
  }

  /** Whether a parent directory of the candidate is a symlink (error if symlinks are not allowed). */
  private static boolean passesThroughSymlink(Path modelPath, String relative, boolean allowSymlinks)
      throws ModelSigningException {
    List<String> parts = PosixNames.components(relative);
    Path current = modelPath;
    for (int i = 0; i < parts.size() - 1; i++) {
      current = current.resolve(parts.get(i));
      if (Files.isSymbolicLink(current)) {
        if (!allowSymlinks) {
          throw symlinkError(current);
        }
        return true;
      }
    }
    return false;
  }

  /** Fails with the "Cannot use … as file or directory" error when nothing exists at the path (links not followed). */
  public static void requireExists(Path modelPath) throws ModelSigningException {
    if (!Files.exists(modelPath, LinkOption.NOFOLLOW_LINKS)) {
      throw typeError(modelPath);
    }
  }

  /** Steps 2 and 3: the symlink check, then attributes following links; must be a file or a directory. */
  private static Checked checkedAttributes(Path candidate, boolean allowSymlinks) throws ModelSigningException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(candidate, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw typeError(candidate);
    }
    return checkedAttributes(attrs, candidate, allowSymlinks);
  }

  /**
   * {@link #checkedAttributes(Path, boolean)} for an entry of a directory being listed: on Linux the listing is a
   * {@link SecureDirectoryStream}, whose open directory the entry's attributes are read relative to ({@code fstatat}
   * of the bare name), sparing the kernel the walk of every component of the full path (on 20,000 files, ~15 ms of
   * CPU).
   */
  private static Checked checkedAttributes(
      DirectoryStream<Path> directory, Path name, Path candidate, boolean allowSymlinks) throws ModelSigningException {
    if (!(directory instanceof SecureDirectoryStream<Path> secure)) {
      return checkedAttributes(candidate, allowSymlinks);
    }
    BasicFileAttributes attrs;
    try {
      attrs =
          secure
              .getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
              .readAttributes();
    } catch (IOException e) {
      throw typeError(candidate);
    }
    return checkedAttributes(attrs, candidate, allowSymlinks);
  }

  private static Checked checkedAttributes(BasicFileAttributes linkAttributes, Path candidate, boolean allowSymlinks)
      throws ModelSigningException {
    BasicFileAttributes attrs = linkAttributes;
    boolean symlink = attrs.isSymbolicLink();
    if (symlink) {
      if (!allowSymlinks) {
        throw symlinkError(candidate);
      }
      try {
        attrs = Files.readAttributes(candidate, BasicFileAttributes.class);
      } catch (IOException e) {
        throw typeError(candidate);
      }
    }
    if (!attrs.isRegularFile() && !attrs.isDirectory()) {
      throw typeError(candidate);
    }
    return new Checked(attrs, symlink);
  }

  static ModelSigningException symlinkError(Path path) {
    return new ModelSigningException(
        "Cannot use '"
            + path
            + "' because it is a symlink. This behavior can be changed with `allow_symlinks`.");
  }

  static ModelSigningException typeError(Path path) {
    return new ModelSigningException(
        "Cannot use '"
            + path
            + "' as file or directory. It could be a special file, it could be missing, or there might be a"
            + " permission issue.");
  }

  private static String reason(Exception e) {
    Throwable t = e instanceof java.nio.file.DirectoryIteratorException d ? d.getCause() : e;
    if (t instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (t instanceof NoSuchFileException) {
      return "no such directory";
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private record Dir(Path path, String relative) {}

  /** Attributes following links, and whether the candidate itself is a link. */
  private record Checked(BasicFileAttributes attrs, boolean symlink) {}
}
