package dev.modelvalidation.modelsigning.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A regular file that belongs in the manifest.
 *
 * @param name the resource name: model-relative POSIX path, {@code .} for a single-file model
 * @param path the path to read (the model path joined with the name; a symlink is read through)
 * @param size the size of the file's content (of the target, for a symlink)
 */
public record ModelFile(String name, Path path, long size) {
  public ModelFile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
  }
}
