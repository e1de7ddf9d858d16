package dev.modelvalidation.modelsigning.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamesAndOrderTest {
  @TempDir Path dir;

  @Test
  void posixNormalizationLikePurePosixPath() {
    assertThat(PosixNames.normalize("")).isEqualTo(".");
    assertThat(PosixNames.normalize("a//b/./c/")).isEqualTo("a/b/c");
    assertThat(PosixNames.normalize("./a")).isEqualTo("a");
    assertThat(PosixNames.normalize("a/../b")).isEqualTo("a/../b");
    assertThat(PosixNames.normalize("//a")).isEqualTo("//a");
    assertThat(PosixNames.normalize("///a")).isEqualTo("/a");
    assertThat(PosixNames.normalize(".")).isEqualTo(".");
  }

  @Test
  void modelNames() throws IOException {
    Path model = Files.createDirectories(dir.resolve("mydir"));
    Files.createDirectories(model.resolve("sub"));
    assertThat(ModelNames.modelName(Path.of(model + "/"))).isEqualTo("mydir");
    assertThat(ModelNames.modelName(model.resolve("."))).isEqualTo("mydir");
    assertThat(ModelNames.modelName(model.resolve("sub/.."))).isEqualTo("mydir");
    assertThat(ModelNames.modelName(Path.of("./dir"))).isEqualTo("dir");
    assertThat(ModelNames.modelName(Path.of("a/b/model.bin"))).isEqualTo("model.bin");
    Path cwdName = Path.of("").toAbsolutePath().getFileName();
    assertThat(ModelNames.modelName(Path.of("."))).isEqualTo(cwdName.toString());
    assertThat(ModelNames.modelName(Path.of(""))).isEqualTo(cwdName.toString());
    assertThat(ModelNames.modelName(Path.of("/"))).isEmpty();
    Path link = Files.createSymbolicLink(dir.resolve("link"), model);
    assertThat(ModelNames.modelName(link)).isEqualTo("link");
  }

  @Test
  void pathOrderIsComponentWise() {
    List<String> names = new ArrayList<>(List.of("a.b", "a-b/c", "a/b", "a", "ab"));
    names.sort(ModelOrder.PATH_ORDER);
    assertThat(names).containsExactly("a", "a/b", "a-b/c", "a.b", "ab");
  }

  @Test
  void orderIsByCodePointNotUtf16Unit() {
    String bmpMax = "\uFFFF"; // U+FFFF
    String emoji = "\uD83D\uDE00"; // U+1F600, a surrogate pair
    assertThat(bmpMax.compareTo(emoji)).as("String.compareTo puts the surrogate first").isPositive();
    assertThat(ModelOrder.NAME_ORDER.compare(bmpMax, emoji)).isNegative();
    assertThat(ModelOrder.PATH_ORDER.compare("d/" + emoji, "d/" + bmpMax)).isPositive();
    List<String> names = new ArrayList<>(List.of(emoji, "z", "\u00e9", bmpMax, "\uE000", "Z"));
    names.sort(ModelOrder.PATH_ORDER);
    assertThat(names).containsExactly("Z", "z", "\u00e9", "\uE000", bmpMax, emoji);
  }

  /** Sorting by {@link ModelOrder#pathKey} must give exactly the path order, for every pair of paths. */
  @Test
  void pathKeysSortInPathOrder() {
    String[] units = {"a", "b", "Z", "/", "-", ".", "\u00e9", "\u07ff", "\uD7FF", "\uE000", "\uFFFF",
        "\uD83D\uDE00", "\uDBFF\uDFFF", "\uD800\uDC00"};
    java.util.Random random = new java.util.Random(5);
    List<String> paths = new ArrayList<>(List.of("a", "a/b", "a-b/c", "a.b", "ab", "\uFFFF/x", "\uD83D\uDE00"));
    for (int i = 0; i < 400; i++) {
      StringBuilder path = new StringBuilder();
      for (int n = 1 + random.nextInt(5); n > 0; n--) {
        path.append(units[random.nextInt(units.length)]);
      }
      paths.add(path.toString());
    }
    for (String x : paths) {
      for (String y : paths) {
        assertThat(Integer.signum(ModelOrder.pathKey(x).compareTo(ModelOrder.pathKey(y))))
            .as("%s vs %s", x, y)
            .isEqualTo(Integer.signum(ModelOrder.PATH_ORDER.compare(x, y)));
      }
    }
  }

  @Test
  void cliIgnorePathsAreResolvedAndOutOfModelOnesDropped() throws IOException {
    Path model = Files.createDirectories(dir.resolve("m"));
    Files.createDirectories(model.resolve("sub"));
    Path real = model.toRealPath();
    assertThat(IgnorePaths.toModelRelative(real, model.resolve("sub/x"))).contains("sub/x");
    assertThat(IgnorePaths.toModelRelative(real, model.resolve("sub/../not-yet"))).contains("not-yet");
    assertThat(IgnorePaths.toModelRelative(real, dir.resolve("elsewhere"))).isEmpty();
    assertThat(IgnorePaths.toModelRelative(real, model)).contains(".");
    // relative CLI paths are taken from the working directory, not from the model
    assertThat(IgnorePaths.toModelRelative(real, Path.of("sub"))).isEmpty();
    // a symlink resolves to its target, which lies outside the model
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Path link = Files.createSymbolicLink(model.resolve("link"), outside);
    assertThat(IgnorePaths.toModelRelative(real, link)).isEmpty();
  }

  @Test
  void recordedIgnorePathsAreSortedAndStayInsideTheModel() {
    IgnoreRules rules = IgnoreRules.of(List.of("model.sig", ".gitignore", "../x", "b/", ".git", "a"));
    assertThat(rules.recorded()).containsExactly(".git", ".gitignore", "a", "b", "model.sig");
    assertThat(rules.isIgnored("a")).isTrue();
    assertThat(rules.isIgnored("a/b")).isTrue();
    assertThat(rules.isIgnored("ab")).isFalse();
  }
}
