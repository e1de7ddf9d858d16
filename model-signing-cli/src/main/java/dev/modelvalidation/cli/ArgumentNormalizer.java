package dev.modelvalidation.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rewrites a command line the way Python model_signing (click) reads it, before picocli parses it.
 *
 * <ul>
 *   <li>Option names accept {@code _} for {@code -}: {@code --private_key}, {@code --ignore_unsigned-files}. Only
 *       names are rewritten, never values (neither {@code --opt=va_lue} nor the token after a value option).
 *   <li>Under {@code sign} and {@code verify}, when the first argument is not a method, the default method
 *       {@code sigstore} is inserted, so {@code sign MODEL --signature x} works as in Python.
 * </ul>
 */
final class ArgumentNormalizer {
  static final Set<String> METHODS =
      Set.of("sigstore", "key", "certificate", "pkcs11-key", "pkcs11-certificate");

  /** Long options that take a value (normalized spelling); the token after them is never rewritten. */
  private static final Set<String> VALUE_OPTIONS =
      Set.of(
          "--log-level",
          "--signature",
          "--ignore-paths",
          "--private-key",
          "--password",
          "--signing-certificate",
          "--certificate-chain",
          "--certificate-chain-env",
          "--public-key",
          "--public-key-env",
          "--identity",
          "--identity-provider",
          "--trust-config",
          "--trust-config-env",
          "--identity-token",
          "--client-id",
          "--client-secret",
          "--pkcs11-uri",
          "--serialization",
          "--hash-algorithm",
          "--shard-size",
          "--termination-log",
          "--watch-interval",
          "--ready-file",
          "--repeat-every",
          "--max-age");

  private ArgumentNormalizer() {}

  /**
   * A normalized command line.
   *
   * @param args the rewritten arguments
   * @param command the command named ({@code sign}, {@code verify}, ...), or null
   * @param method the signing/verification method named or defaulted, or null
   */
  record Normalized(String[] args, String command, String method) {}

  static Normalized normalize(String[] args) {
    List<String> out = new ArrayList<>(args.length + 1);
    String command = null;
    String method = null;
    boolean valueExpected = false;
    boolean commandSeen = false;
    boolean methodDecided = false;
    boolean commandTakesMethod = false;
    for (String arg : args) {
      if (valueExpected) {
        out.add(arg);
        valueExpected = false;
        continue;
      }
      if (arg.startsWith("--") && arg.length() > 2) {
        int eq = arg.indexOf('=');
        String name = (eq < 0 ? arg : arg.substring(0, eq)).replace('_', '-');
        out.add(eq < 0 ? name : name + arg.substring(eq));
        valueExpected = eq < 0 && VALUE_OPTIONS.contains(name);
        continue;
      }
      if (!commandSeen) {
        if (!arg.startsWith("-")) {
          commandSeen = true;
          command = arg;
          commandTakesMethod = arg.equals("sign") || arg.equals("verify");
          methodDecided = !commandTakesMethod;
        }
        out.add(arg);
        continue;
      }
      if (!methodDecided) {
        methodDecided = true;
        if (METHODS.contains(arg)) {
          method = arg;
        } else if (!arg.equals("-h")) {
          out.add("sigstore");
          method = "sigstore";
        }
      }
      out.add(arg);
    }
    return new Normalized(out.toArray(String[]::new), command, method);
  }
}
