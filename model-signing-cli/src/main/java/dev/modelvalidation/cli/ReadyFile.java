package dev.modelvalidation.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;

/** The file a continuous-validation sidecar keeps fresh while the model verifies (read by {@code ready-check}). */
record ReadyFile(Path path) {
  /**
   * How long until the file is {@code millis} old: positive when it exists and is younger, else 0 (no file, no
   * path, unreadable, or already that old).
   */
  long youngerThan(long millis) {
    if (path == null) {
      return 0;
    }
    try {
      long age = Clock.systemUTC().millis() - Files.getLastModifiedTime(path).toMillis();
      return age >= 0 && age < millis ? millis - age : 0;
    } catch (IOException e) {
      return 0;
    }
  }

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
