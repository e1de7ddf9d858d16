package dev.modelvalidation.modelsigning;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The model fixtures of Python's {@code tests/conftest.py} (spec §15.1). */
public final class SpecFixtures {
  private SpecFixtures() {}

  public static Path sampleModelFile(Path dir) throws IOException {
    Path file = dir.resolve("file_model");
    Files.writeString(file, "This is a simple model");
    return file;
  }

  public static Path emptyModelFile(Path dir) throws IOException {
    Path file = dir.resolve("empty_file_model");
    Files.write(file, new byte[0]);
    return file;
  }

  public static Path sampleModelFolder(Path dir) throws IOException {
    Path model = Files.createDirectories(dir.resolve("sample_model"));
    for (int i = 0; i < 2; i++) {
      Path d = Files.createDirectories(model.resolve("d" + i));
      for (int j = 0; j < 3; j++) {
        Files.writeString(d.resolve("f" + i + j), "This is file f" + i + j + " in d" + i + ".");
      }
    }
    for (int i = 0; i < 4; i++) {
      Files.writeString(model.resolve("f" + i), "This is file f" + i + " in root.");
    }
    return model;
  }

  public static Path deepModelFolder(Path dir) throws IOException {
    Path model = Files.createDirectories(dir.resolve("deep_model"));
    Path deep = Files.createDirectories(model.resolve("d0/d1/d2/d3/d4"));
    for (int i = 0; i < 4; i++) {
      Files.writeString(deep.resolve("f" + i), "This is file f" + i + ".");
    }
    return model;
  }

  public static Path emptyModelFolder(Path dir) throws IOException {
    return Files.createDirectories(dir.resolve("empty_folder_model"));
  }

  public static Path modelFolderWithEmptyFile(Path dir) throws IOException {
    Path model = Files.createDirectories(dir.resolve("empty_file_inside_model"));
    Files.write(model.resolve("empty_file"), new byte[0]);
    return model;
  }

  public static Path symlinkModelFolder(Path dir) throws IOException {
    Path external = dir.resolve("external_file");
    Files.writeString(external, "This is a simple model");
    Path model = Files.createDirectories(dir.resolve("symlink_model"));
    Files.createSymbolicLink(model.resolve("symlink_file"), external);
    return model;
  }
}
