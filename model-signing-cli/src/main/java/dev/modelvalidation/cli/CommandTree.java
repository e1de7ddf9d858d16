package dev.modelvalidation.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The picocli command tree, built only as far as a command line needs it; help and errors still see every command.
 * Each command builds its spec with picocli's programmatic API (see {@link Specs}): reading the annotations of
 * command classes instead cost about 80 ms of every start (a dynamic proxy class per annotation type, and
 * method-handle forms for reflective field and method access, none of which the AOT cache can hold). Building
 * the specs is cheap, but each {@link CommandLine} still costs picocli some set-up, so the commands a command line
 * does not name are left out.
 */
final class CommandTree {
  private static final Map<String, Supplier<CommandSpec>> COMMANDS =
      ordered(
          e("sign", SignCommand::spec),
          e("verify", VerifyCommand::spec),
          e("digest", DigestCommand::spec),
          e("ready-check", ReadyCheckCommand::spec));
  private static final Map<String, Supplier<CommandSpec>> SIGN_METHODS =
      ordered(
          e("sigstore", SignCommand.Sigstore::spec),
          e("key", SignCommand.Key::spec),
          e("certificate", SignCommand.Certificate::spec),
          e("pkcs11-key", SignCommand.Pkcs11Key::spec),
          e("pkcs11-certificate", SignCommand.Pkcs11Certificate::spec));
  private static final Map<String, Supplier<CommandSpec>> VERIFY_METHODS =
      ordered(
          e("sigstore", VerifyCommand.Sigstore::spec),
          e("key", VerifyCommand.Key::spec),
          e("certificate", VerifyCommand.Certificate::spec));

  private CommandTree() {}

  /** The root command with the subcommands {@code command} and {@code method} select (all if unknown). */
  static CommandLine build(String command, String method) {
    CommandLine cli = new CommandLine(ModelSigningCli.spec());
    for (var entry : select(COMMANDS, command).entrySet()) {
      CommandLine sub = new CommandLine(entry.getValue().get());
      Map<String, Supplier<CommandSpec>> methods =
          switch (entry.getKey()) {
            case "sign" -> SIGN_METHODS;
            case "verify" -> VERIFY_METHODS;
            default -> Map.of();
          };
      for (var m : select(methods, method).entrySet()) {
        sub.addSubcommand(m.getKey(), new CommandLine(m.getValue().get()));
      }
      cli.addSubcommand(entry.getKey(), sub);
    }
    // click semantics, for the whole tree: no @argument files, and a repeated option's last value wins
    cli.setExpandAtFiles(false);
    cli.setOverwrittenOptionsAllowed(true);
    return cli;
  }

  private static Map.Entry<String, Supplier<CommandSpec>> e(String name, Supplier<CommandSpec> factory) {
    return Map.entry(name, factory);
  }

  /** An unmodifiable map in the given order (help lists the commands in it). */
  @SafeVarargs
  private static Map<String, Supplier<CommandSpec>> ordered(Map.Entry<String, Supplier<CommandSpec>>... entries) {
    Map<String, Supplier<CommandSpec>> map = new LinkedHashMap<>();
    for (Map.Entry<String, Supplier<CommandSpec>> entry : entries) {
      map.put(entry.getKey(), entry.getValue());
    }
    return Collections.unmodifiableMap(map);
  }

  private static Map<String, Supplier<CommandSpec>> select(Map<String, Supplier<CommandSpec>> all, String name) {
    return name != null && all.containsKey(name) ? Map.of(name, all.get(name)) : all;
  }
}
