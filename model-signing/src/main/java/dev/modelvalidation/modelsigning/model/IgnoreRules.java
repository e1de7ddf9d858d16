package dev.modelvalidation.modelsigning.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The set of model-relative ignore entries (spec §3.4). A candidate is ignored when its path equals an entry or lies
 * under it, compared component by component ({@code a} ignores {@code a} and {@code a/x}, never {@code ab}). No
 * globs. Entry {@code .} ignores everything, including a single-file model itself.
 *
 * <p>Entries are normalized as POSIX names. An entry containing {@code ..} can never match a walked path, exactly as
 * in Python. An absolute entry (possible only from a hand-made signature) matches nothing here; Python would compare it
 * with the joined model path, which only matters for absolute model paths.
 */
public final class IgnoreRules {
  /** The paths Python ignores by default at the model's top level (spec §3.1). */
  public static final List<String> GIT_PATHS = List.of(".git", ".gitattributes", ".github", ".gitignore");

  private static final IgnoreRules NONE = new IgnoreRules(new TreeSet<>(ModelOrder.NAME_ORDER));

  private final TreeSet<String> entries;
  /** Matchable entries as component-joined strings; {@code ""} stands for the model path itself. */
  private final List<String> matchers;

  private IgnoreRules(TreeSet<String> entries) {
    this.entries = entries;
    List<String> m = new ArrayList<>();
    for (String e : entries) {
      if (!PosixNames.isAbsolute(e) && !PosixNames.hasParentReference(e)) {
        m.add(String.join("/", PosixNames.components(e)));
      }
    }
    this.matchers = List.copyOf(m);
  }

  public static IgnoreRules none() {
    return NONE;
  }

  /** Rules from model-relative entries (any {@code /}-separated form; normalized here). */
  public static IgnoreRules of(Collection<String> modelRelativeEntries) {
    TreeSet<String> set = new TreeSet<>(ModelOrder.NAME_ORDER);
    for (String e : modelRelativeEntries) {
      set.add(PosixNames.normalize(e));
    }
    return new IgnoreRules(set);
  }

  /** These rules plus more entries. */
  public IgnoreRules with(Collection<String> more) {
    List<String> all = new ArrayList<>(entries);
    all.addAll(more);
    return of(all);
  }

  /**
   * Whether a candidate is ignored.
   *
   * @param relative the candidate's model-relative path as components joined with {@code /} (no {@code .}
   *     components, no leading or trailing {@code /}); {@code ""} for the model path itself
   */
  public boolean isIgnoredRelative(String relative) {
    for (String m : matchers) {
      if (m.isEmpty()
          || (relative.startsWith(m) && (relative.length() == m.length() || relative.charAt(m.length()) == '/'))) {
        return true;
      }
    }
    return false;
  }

  /** Whether a model-relative name in any form ({@code .} is the model path itself) is ignored. */
  public boolean isIgnored(String name) {
    return isIgnoredRelative(String.join("/", PosixNames.components(name)));
  }

  /**
   * The entries as recorded in {@code serialization.ignore_paths} (spec §3.5): normalized, without entries that would
   * escape the model ({@code ../…}), sorted by code point.
   */
  public List<String> recorded() {
    List<String> out = new ArrayList<>();
    for (String e : entries) {
      if (!e.equals("..") && !e.startsWith("../") && !PosixNames.isAbsolute(e)) {
        out.add(e);
      }
    }
    return List.copyOf(out);
  }

  /** All normalized entries, sorted by code point. */
  public Set<String> entries() {
    return Collections.unmodifiableSet(entries);
  }

  @Override
  public String toString() {
    return "IgnoreRules" + entries;
  }
}
