package dev.modelvalidation.modelsigning.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.modelvalidation.modelsigning.ModelSigningException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelWalkerTest {
  private static final String SYMLINK_SUFFIX =
      "' because it is a symlink. This behavior can be changed with `allow_symlinks`.";
  private static final String TYPE_SUFFIX =
      "' as file or directory. It could be a special file, it could be missing, or there might be a permission"
          + " issue.";

  @TempDir Path dir;

  private Path model() throws IOException {
    Path m = Files.createDirectories(dir.resolve("model"));
    Files.writeString(m.resolve("a"), "a");
    Files.writeString(m.resolve("ab"), "ab");
    Files.createDirectories(m.resolve("sub/deeper"));
    Files.writeString(m.resolve("sub/x"), "x");
    Files.writeString(m.resolve("sub/deeper/y"), "y");
    Files.writeString(m.resolve(".hidden"), "h");
    return m;
  }

  private static List<String> names(List<ModelFile> files) {
    return files.stream().map(ModelFile::name).sorted(ModelOrder.PATH_ORDER).toList();
  }

  @Test
  void walksEverythingIncludingHiddenFiles() throws Exception {
    assertThat(names(ModelWalker.walk(model(), IgnoreRules.none(), false)))
        .containsExactly(".hidden", "a", "ab", "sub/deeper/y", "sub/x");
  }

  /**
   * On Linux a listing of the default file system is a SecureDirectoryStream, whose entries' attributes are read
   * relative to the open directory; other file systems (here a zip) take the full-path reads. Both walk the same.
   */
  @Test
  void aModelOnAnotherFileSystemWalksTheSame() throws Exception {
    Path m = model();
    try (java.nio.file.FileSystem zip =
        java.nio.file.FileSystems.newFileSystem(dir.resolve("model.zip"), java.util.Map.of("create", "true"))) {
      Path zipped = zip.getPath("/model");
      for (String name : List.of("a", "ab", "sub/x", "sub/deeper/y", ".hidden")) {
        Files.createDirectories(zipped.resolve(name).getParent());
        Files.copy(m.resolve(name), zipped.resolve(name));
      }
      try (var listing = Files.newDirectoryStream(zipped)) {
        assertThat(listing).isNotInstanceOf(java.nio.file.SecureDirectoryStream.class);
      }
      assertThat(names(ModelWalker.walk(zipped, IgnoreRules.of(List.of("sub/deeper")), false)))
          .containsExactly(".hidden", "a", "ab", "sub/x")
          .isEqualTo(names(ModelWalker.walk(m, IgnoreRules.of(List.of("sub/deeper")), false)));
      assertThat(ModelWalker.walk(zipped, IgnoreRules.none(), false))
          .filteredOn(f -> f.name().equals("ab"))
          .singleElement()
          .extracting(ModelFile::size)
          .isEqualTo(2L);
    }
  }

  @Test
  void ignoreMatchesWholeComponentsAndPrunesSubtrees() throws Exception {
    Path m = model();
    assertThat(names(ModelWalker.walk(m, IgnoreRules.of(List.of("a", "sub/deeper")), false)))
        .containsExactly(".hidden", "ab", "sub/x");
    assertThat(names(ModelWalker.walk(m, IgnoreRules.of(List.of("sub")), false))).containsExactly(".hidden", "a", "ab");
    assertThat(names(ModelWalker.walk(m, IgnoreRules.of(List.of("su", "sub/x/", "./ab")), false)))
        .containsExactly(".hidden", "a", "sub/deeper/y");
    assertThat(ModelWalker.walk(m, IgnoreRules.of(List.of(".")), false)).isEmpty();
  }

  @Test
  void gitPathsAreIgnoredOnlyAtTopLevel() throws Exception {
    Path m = model();
    Files.createDirectories(m.resolve(".git/objects"));
    Files.writeString(m.resolve(".git/objects/o"), "o");
    Files.writeString(m.resolve(".gitignore"), "*");
    Files.writeString(m.resolve("sub/.gitignore"), "*");
    Files.createDirectories(m.resolve("sub/.git"));
    Files.writeString(m.resolve("sub/.git/HEAD"), "ref");
    assertThat(names(ModelWalker.walk(m, IgnoreRules.of(IgnoreRules.GIT_PATHS), false)))
        .containsExactly(".hidden", "a", "ab", "sub/.git/HEAD", "sub/.gitignore", "sub/deeper/y", "sub/x");
  }

  @Test
  void singleFileModelIsNamedDot() throws Exception {
    Path f = Files.writeString(dir.resolve("weights.bin"), "w");
    List<ModelFile> files = ModelWalker.walk(f, IgnoreRules.of(IgnoreRules.GIT_PATHS), false);
    assertThat(files).singleElement().satisfies(mf -> {
      assertThat(mf.name()).isEqualTo(".");
      assertThat(mf.size()).isEqualTo(1);
    });
  }

  @Test
  void missingModelPathIsAnError() {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> ModelWalker.walk(missing, IgnoreRules.none(), false))
        .isInstanceOf(ModelSigningException.class)
        .hasMessage("Cannot use '" + missing + TYPE_SUFFIX);
  }

  @Test
  void symlinksAreRefusedUnlessAllowed() throws Exception {
    Path m = model();
    Path link = Files.createSymbolicLink(m.resolve("link"), m.resolve("a"));
    assertThatThrownBy(() -> ModelWalker.walk(m, IgnoreRules.none(), false))
        .isInstanceOf(ModelSigningException.class)
        .hasMessage("Cannot use '" + link + SYMLINK_SUFFIX);
    // ignored before the symlink check
    assertThat(names(ModelWalker.walk(m, IgnoreRules.of(List.of("link")), false))).doesNotContain("link");
    // allowed: hashed through under the link's name
    List<ModelFile> files = ModelWalker.walk(m, IgnoreRules.none(), true);
    assertThat(names(files)).contains("link");
    assertThat(files.stream().filter(f -> f.name().equals("link")).findFirst().orElseThrow().size()).isEqualTo(1);
  }

  @Test
  void theModelPathItselfMayNotBeASymlinkUnlessAllowed() throws Exception {
    Path m = model();
    Path link = Files.createSymbolicLink(dir.resolve("model-link"), m);
    assertThatThrownBy(() -> ModelWalker.walk(link, IgnoreRules.none(), false))
        .hasMessage("Cannot use '" + link + SYMLINK_SUFFIX);
    assertThat(names(ModelWalker.walk(link, IgnoreRules.none(), true))).contains("a", "sub/x");
  }

  @Test
  void allowedSymlinksEscapingTheModelAreReadThroughButNamedInside() throws Exception {
    Path m = model();
    Path outside = Files.writeString(dir.resolve("outside.txt"), "outside content");
    Files.createSymbolicLink(m.resolve("escape"), outside);
    Path outsideDir = Files.createDirectories(dir.resolve("outside-dir"));
    Files.writeString(outsideDir.resolve("secret"), "s");
    Files.createSymbolicLink(m.resolve("dirlink"), outsideDir);
    List<ModelFile> files = ModelWalker.walk(m, IgnoreRules.none(), true);
    ModelFile escape = files.stream().filter(f -> f.name().equals("escape")).findFirst().orElseThrow();
    assertThat(escape.size()).isEqualTo("outside content".length());
    // a directory link contributes nothing and is never entered
    assertThat(names(files)).noneMatch(n -> n.startsWith("dirlink"));
  }

  @Test
  void brokenSymlinkIsATypeErrorWhenAllowed() throws Exception {
    Path m = model();
    Path broken = Files.createSymbolicLink(m.resolve("broken"), dir.resolve("does-not-exist"));
    assertThatThrownBy(() -> ModelWalker.walk(m, IgnoreRules.none(), true)).hasMessage("Cannot use '" + broken + TYPE_SUFFIX);
    assertThatThrownBy(() -> ModelWalker.walk(m, IgnoreRules.none(), false))
        .hasMessage("Cannot use '" + broken + SYMLINK_SUFFIX);
  }

  @Test
  void fifoIsAnErrorUnlessIgnored() throws Exception {
    Path m = model();
    Path fifo = m.resolve("sub/pipe");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assumeThat(p.waitFor()).as("mkfifo available").isZero();
    assertThatThrownBy(() -> ModelWalker.walk(m, IgnoreRules.none(), true))
        .isInstanceOf(ModelSigningException.class)
        .hasMessage("Cannot use '" + fifo + TYPE_SUFFIX);
    assertThat(names(ModelWalker.walk(m, IgnoreRules.of(List.of("sub/pipe")), false))).contains("sub/x");
  }

  @Test
  void unreadableDirectoryIsAnError() throws Exception {
    Path m = model();
    Path sub = m.resolve("sub");
    Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("---------"));
    try {
      assumeThat(Files.isReadable(sub)).as("running as a user that cannot read mode 000").isFalse();
      assertThatThrownBy(() -> ModelWalker.walk(m, IgnoreRules.none(), false))
          .isInstanceOf(ModelSigningException.class)
          .hasMessageContaining("Cannot read directory '" + sub + "'");
    } finally {
      Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void signedWalkLooksOnlyAtSignedNames() throws Exception {
    Path m = model();
    Files.writeString(m.resolve("unsigned-extra"), "e");
    List<ModelFile> files = ModelWalker.walkSigned(m, List.of("a", "sub/x", "sub"), IgnoreRules.none(), false);
    assertThat(names(files)).containsExactly("a", "sub/x"); // "sub" is a directory: gives nothing
    Path missing = m.resolve("gone");
    assertThatThrownBy(() -> ModelWalker.walkSigned(m, List.of("gone"), IgnoreRules.none(), false))
        .hasMessage("Cannot use '" + missing + TYPE_SUFFIX);
  }

  @Test
  void signedWalkRefusesNamesThatEscapeTheModel() throws Exception {
    Path m = model();
    for (String bad : List.of("../outside", "sub/../../x", "/etc/passwd", "..")) {
      assertThatThrownBy(() -> ModelWalker.walkSigned(m, List.of("a", bad), IgnoreRules.none(), true))
          .isInstanceOf(ModelSigningException.class)
          .hasMessageContaining("Refusing signed resource name '" + bad + "'")
          .hasMessageContaining("outside the model");
    }
  }

  @Test
  void signedWalkDoesNotFollowSymlinkedParentDirectories() throws Exception {
    Path m = model();
    Path outsideDir = Files.createDirectories(dir.resolve("outside-dir"));
    Files.writeString(outsideDir.resolve("secret"), "s");
    Path link = Files.createSymbolicLink(m.resolve("dirlink"), outsideDir);
    assertThat(ModelWalker.walkSigned(m, List.of("dirlink/secret"), IgnoreRules.none(), true)).isEmpty();
    assertThatThrownBy(() -> ModelWalker.walkSigned(m, List.of("dirlink/secret"), IgnoreRules.none(), false))
        .hasMessage("Cannot use '" + link + SYMLINK_SUFFIX);
  }
}
