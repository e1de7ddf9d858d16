package dev.modelvalidation.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;

/** The file a continuous-validation sidecar keeps fresh while the model verifies (read by {@code ready-check}). */
record ReadyFile(Path path) {
  void record(boolean verified) {
    if (path == null) {
      return;
    }
    try {
      if (verified) {
        if (Files.exists(path)) {
          Files.setLastModifiedTime(path, FileTime.from(Clock.systemUTC().instant()));
        } else {
          Files.createDirectories(path.toAbsolutePath().getParent());
          Files.createFile(path);
        }
      } else {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // The probe then fails, which is the safe direction.
    }
  }
}
