package dev.modelvalidation.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;

/**
 * Building blocks for the command specs, made with picocli's programmatic API: nothing here makes picocli read an
 * annotation or bind a field or method by reflection, so no proxy class or method-handle form is generated at run
 * time and all of it fits in the AOT cache. Values are read back from the parse result ({@link #value}).
 */
final class Specs {
  /**
   * Paths as picocli's built-in converter makes them ({@code Paths.get(value)}, called by reflection there), with its
   * error message.
   */
  static final ITypeConverter<Path> PATH =
      value -> {
        try {
          return Path.of(value);
        } catch (RuntimeException e) {
          throw new TypeConversionException(String.format("cannot convert '%s' to %s (%s)", value, Path.class, e));
        }
      };

  private Specs() {}

  /** A command with {@code -h/--help} and {@code -V/--version}, as {@code mixinStandardHelpOptions} adds them. */
  static CommandSpec command(String name, Object userObject, String... description) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(userObject).name(name);
    spec.usageMessage().description(description);
    spec.addOption(
        OptionSpec.builder("-h", "--help")
            .type(boolean.class)
            .usageHelp(true)
            .description("Show this help message and exit.")
            .build());
    spec.addOption(
        OptionSpec.builder("-V", "--version")
            .type(boolean.class)
            .versionHelp(true)
            .description("Print version information and exit.")
            .build());
    return spec;
  }

  /** An option without a value (false unless given). */
  static OptionSpec flag(String name, String... description) {
    return OptionSpec.builder(name).type(boolean.class).initialValue(false).description(description).build();
  }

  /** An option with one value; the last one given wins. */
  static OptionSpec.Builder option(String name, String paramLabel, Class<?> type, String... description) {
    OptionSpec.Builder option = OptionSpec.builder(name).paramLabel(paramLabel).type(type).description(description);
    return type == Path.class ? option.converters(PATH) : option;
  }

  /** A path option that can be repeated: a list of all the values given (empty if none). */
  static OptionSpec paths(String name, String paramLabel, String... description) {
    return OptionSpec.builder(name)
        .paramLabel(paramLabel)
        .type(List.class)
        .auxiliaryTypes(Path.class)
        .converters(PATH)
        .initialValue(new ArrayList<Path>())
        .description(description)
        .build();
  }

  /** A required positional path at {@code index}. */
  static PositionalParamSpec positionalPath(int index, String paramLabel, String... description) {
    return PositionalParamSpec.builder()
        .index(String.valueOf(index))
        .paramLabel(paramLabel)
        .type(Path.class)
        .converters(PATH)
        .required(true)
        .description(description)
        .build();
  }

  /** The value of an option of the parsed command: the last one given, or its initial value. */
  static <T> T value(ParseResult args, String option) {
    return args.commandSpec().findOption(option).getValue();
  }

  /** The value of a positional parameter of the parsed command. */
  static <T> T positional(ParseResult args, int index) {
    return args.commandSpec().positionalParameters().get(index).getValue();
  }

  /**
   * A pair of flags like {@code --x/--no-x}, as click reads them: the one given last wins; {@code otherwise} if
   * neither was given.
   */
  static boolean pairedFlag(ParseResult args, String on, String off, boolean otherwise) {
    List<OptionSpec> matched = args.matchedOptions();
    for (int i = matched.size() - 1; i >= 0; i--) {
      String name = matched.get(i).longestName();
      if (name.equals(on)) {
        return true;
      }
      if (name.equals(off)) {
        return false;
      }
    }
    return otherwise;
  }
}
