package dev.modelvalidation.modelsigning.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Resolution of CLI ignore paths (spec §3.2), which are relative to the working directory, not the model. */
public final class IgnorePaths {
  private IgnorePaths() {}

  /**
   * Turns a CLI path into a model-relative ignore entry: made absolute against the working directory, resolved
   * following symlinks (non-existent parts allowed, like Python's {@code resolve()}), then made relative to the
   * resolved model path. A path outside the model gives empty: Python drops it silently. The model path itself gives
   * {@code .} (which ignores everything, as in Python).
   *
   * @param resolvedModelPath the model path with symlinks resolved ({@code toRealPath()})
   */
  public static Optional<String> toModelRelative(Path resolvedModelPath, Path cliPath) {
    Path resolved = resolveLenient(cliPath);
    if (!resolved.startsWith(resolvedModelPath)) {
      return Optional.empty();
    }
    Path relative = resolvedModelPath.relativize(resolved);
    String name = relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    return Optional.of(PosixNames.normalize(name));
  }

  /** {@link #toModelRelative} over many paths, dropping those outside the model. */
  public static List<String> toModelRelative(Path resolvedModelPath, Collection<Path> cliPaths) {
    List<String> out = new ArrayList<>();
    for (Path p : cliPaths) {
      toModelRelative(resolvedModelPath, p).ifPresent(out::add);
    }
    return out;
  }

  /**
   * Absolute path with every existing prefix resolved through symlinks and {@code .}/{@code ..} applied, keeping
   * non-existent trailing parts as written (Python's non-strict {@code Path.resolve()}).
   */
  public static Path resolveLenient(Path path) {
    return resolveLenient(path, 0);
  }

  private static Path resolveLenient(Path path, int linksFollowed) {
    Path abs = path.toAbsolutePath();
    Path result = abs.getRoot();
    for (Path part : abs) {
      String c = part.toString();
      if (c.equals(".") || c.isEmpty()) {
        continue;
      }
      if (c.equals("..")) {
        Path parent = result.getParent();
        result = parent == null ? result : parent;
        continue;
      }
      Path next = result.resolve(c);
      try {
        next = next.toRealPath();
      } catch (IOException e) {
        // does not exist: keep it lexically; a broken link still points somewhere (Python follows it)
        if (java.nio.file.Files.isSymbolicLink(next) && linksFollowed < 40) {
          try {
            next = resolveLenient(result.resolve(java.nio.file.Files.readSymbolicLink(next)), linksFollowed + 1);
          } catch (IOException unreadable) {
            // keep it lexically
          }
        }
      }
      result = next;
    }
    return result;
  }
}
