package dev.modelvalidation.modelsigning.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The model name written to {@code subject[0].name} (spec §2.6). */
public final class ModelNames {
  private ModelNames() {}

  /**
   * The last component of the path as given (lexically, like pathlib's {@code .name}); when that is empty or {@code
   * ..} (e.g. for {@code .}, {@code ./}, {@code ..}, {@code foo/..}), the last component of the fully resolved path. A
   * symlink is not resolved. For {@code /} the name is empty.
   */
  public static String modelName(Path modelPath) {
    String given = modelPath.toString();
    List<String> parts = PosixNames.components(given.replace(modelPath.getFileSystem().getSeparator(), "/"));
    String last = parts.isEmpty() ? "" : parts.get(parts.size() - 1);
    if (!last.isEmpty() && !last.equals("..")) {
      return last;
    }
    Path resolved;
    try {
      resolved = modelPath.toRealPath();
    } catch (IOException e) {
      resolved = modelPath.toAbsolutePath().normalize();
    }
    Path name = resolved.getFileName();
    return name == null ? "" : name.toString();
  }
}
