package dev.modelvalidation.cli;

import dev.modelvalidation.modelsigning.ModelSigningException;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Trust material given in an environment variable instead of a file ({@code --public-key-env},
 * {@code --certificate-chain-env}, {@code --trust-config-env}; beyond Python). The operator injects the key, CA or trust
 * config of a ModelValidation this way, so it comes from the ModelValidation and not from a volume of the pod.
 */
final class TrustFromEnvironment {
  private final UnaryOperator<String> environment;

  TrustFromEnvironment(UnaryOperator<String> environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  /**
   * The value of variable {@code name}, which must be set and not blank.
   *
   * @throws ModelSigningException naming the variable otherwise
   */
  String value(String name) throws ModelSigningException {
    String value = environment.apply(name);
    if (value == null) {
      throw new ModelSigningException("Environment variable " + name + " is not set");
    }
    if (value.isBlank()) {
      throw new ModelSigningException("Environment variable " + name + " is empty");
    }
    return value;
  }

  /** Where the material came from, for error messages. */
  static String source(String name) {
    return "environment variable " + name;
  }

  /**
   * Exactly one of {@code fileOption} and {@code envOption} was given ({@code optional}: at most one).
   *
   * @throws CommandLine.ParameterException a usage error (exit 2) otherwise
   */
  static void requireOneOf(ParseResult args, String fileOption, String envOption, boolean optional) {
    List<String> given =
        List.of(fileOption, envOption).stream().filter(name -> args.hasMatchedOption(name)).toList();
    if (given.size() > 1) {
      throw new CommandLine.ParameterException(
          args.commandSpec().commandLine(), fileOption + " and " + envOption + " cannot be used together");
    }
    if (given.isEmpty() && !optional) {
      throw new CommandLine.ParameterException(
          args.commandSpec().commandLine(),
          "Missing required option: '" + fileOption + "' (or '" + envOption + "')");
    }
  }
}
