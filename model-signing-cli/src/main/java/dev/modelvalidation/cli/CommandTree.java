package dev.modelvalidation.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * The picocli command tree, built only as far as a command line needs it. picocli reflects over every command
 * class it is given (and its own classes are too old for class-data sharing), so building the whole tree for
 * {@code verify key ...} costs about as much as the verification of a small model; help and errors still see
 * every command.
 */
final class CommandTree {
  private static final Map<String, Supplier<Object>> COMMANDS =
      ordered(
          e("sign", SignCommand::new),
          e("verify", VerifyCommand::new),
          e("digest", DigestCommand::new),
          e("ready-check", ReadyCheckCommand::new));
  private static final Map<String, Supplier<Object>> SIGN_METHODS =
      ordered(
          e("sigstore", SignCommand.Sigstore::new),
          e("key", SignCommand.Key::new),
          e("certificate", SignCommand.Certificate::new),
          e("pkcs11-key", SignCommand.Pkcs11Key::new),
          e("pkcs11-certificate", SignCommand.Pkcs11Certificate::new));
  private static final Map<String, Supplier<Object>> VERIFY_METHODS =
      ordered(
          e("sigstore", VerifyCommand.Sigstore::new),
          e("key", VerifyCommand.Key::new),
          e("certificate", VerifyCommand.Certificate::new));

  private CommandTree() {}

  /** The root command with the subcommands {@code command} and {@code method} select (all if unknown). */
  static CommandLine build(ModelSigningCli root, String command, String method) {
    CommandLine cli = new CommandLine(root);
    for (var entry : select(COMMANDS, command).entrySet()) {
      CommandLine sub = new CommandLine(entry.getValue().get());
      Map<String, Supplier<Object>> methods =
          switch (entry.getKey()) {
            case "sign" -> SIGN_METHODS;
            case "verify" -> VERIFY_METHODS;
            default -> Map.of();
          };
      for (var m : select(methods, method).entrySet()) {
        sub.addSubcommand(m.getKey(), m.getValue().get());
      }
      cli.addSubcommand(entry.getKey(), sub);
    }
    // click semantics, for the whole tree: no @argument files, and a repeated option's last value wins
    cli.setExpandAtFiles(false);
    cli.setOverwrittenOptionsAllowed(true);
    return cli;
  }

  private static Map.Entry<String, Supplier<Object>> e(String name, Supplier<Object> factory) {
    return Map.entry(name, factory);
  }

  /** An unmodifiable map in the given order (help lists the commands in it). */
  @SafeVarargs
  private static Map<String, Supplier<Object>> ordered(Map.Entry<String, Supplier<Object>>... entries) {
    Map<String, Supplier<Object>> map = new LinkedHashMap<>();
    for (Map.Entry<String, Supplier<Object>> entry : entries) {
      map.put(entry.getKey(), entry.getValue());
    }
    return java.util.Collections.unmodifiableMap(map);
  }

  private static Map<String, Supplier<Object>> select(Map<String, Supplier<Object>> all, String name) {
    return name != null && all.containsKey(name) ? Map.of(name, all.get(name)) : all;
  }
}
