package dev.modelvalidation.cli;

import dev.modelvalidation.modelsigning.ModelHasher;
import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.ModelVerifier;
import dev.modelvalidation.modelsigning.VerificationResult;
import dev.modelvalidation.modelsigning.VerifyOptions;
import dev.modelvalidation.modelsigning.keys.PemKeys;
import dev.modelvalidation.modelsigning.pki.TrustStore;
import dev.modelvalidation.modelsigning.signature.CertificateSignatureVerifier;
import dev.modelvalidation.modelsigning.signature.KeySignatureVerifier;
import dev.modelvalidation.modelsigning.signature.SignatureVerifier;
import dev.modelvalidation.modelsigning.sigstore.SigstoreSignatureVerifier;
import dev.modelvalidation.modelsigning.sigstore.SigstoreTrust;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** {@code verify [METHOD] MODEL_PATH --signature PATH}: check the signature, then the model against it. */
final class VerifyCommand implements Runnable {
  private CommandSpec spec;

  private VerifyCommand() {}

  static CommandSpec spec() {
    VerifyCommand command = new VerifyCommand();
    command.spec =
        Specs.command(
            "verify", command, "Verify a model. METHOD defaults to sigstore (then MODEL_PATH must come first).");
    return command.spec;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing verification method.");
  }

  /**
   * Options every verification method has.
   *
   * @param signature the signature file
   * @param ignoreUnsignedFiles whether files the signature does not name are left unchecked
   * @param terminationLog where to write the failure reason too, or null
   * @param repeatEverySeconds the interval of continuous validation, or null to verify once
   * @param readyFile the file kept fresh while the model verifies (continuous validation), or null
   */
  record Common(
      ModelOptions model,
      Path signature,
      boolean ignoreUnsignedFiles,
      Path terminationLog,
      Long repeatEverySeconds,
      Path readyFile) {
    static void addTo(CommandSpec spec) {
      ModelOptions.addOptionsTo(spec);
      spec.addOption(
          Specs.option("--signature", "PATH", Path.class, "The signature file (a Sigstore bundle).")
              .required(true)
              .build());
      spec.addOption(
          Specs.option(
                  "--termination-log",
                  "PATH",
                  Path.class,
                  "Also write the failure reason here. Default in a Kubernetes container: /dev/termination-log.")
              .build());
      spec.addOption(
          Specs.option(
                  "--repeat-every",
                  "SECONDS",
                  Long.class,
                  "Keep verifying: now (or when a fresh --ready-file is an interval old), then every SECONDS, forever"
                      + " (a continuous-validation sidecar).")
              .build());
      spec.addOption(
          Specs.option(
                  "--ready-file",
                  "PATH",
                  Path.class,
                  "Touch PATH after each passing check, delete it after a failing one. With --repeat-every, a"
                      + " PATH younger than the interval at start counts as the first check.")
              .build());
      spec.addOption(Specs.flag("--ignore-unsigned-files", "Only check the files the signature names."));
      spec.addOption(
          Specs.flag("--no-ignore-unsigned-files", "Fail on files the signature does not name (default)."));
      ModelOptions.addModelPathTo(spec);
    }

    static Common from(ParseResult args) {
      return new Common(
          ModelOptions.from(args),
          Specs.value(args, "--signature"),
          Specs.pairedFlag(args, "--ignore-unsigned-files", "--no-ignore-unsigned-files", false),
          Specs.value(args, "--termination-log"),
          Specs.value(args, "--repeat-every"),
          Specs.value(args, "--ready-file"));
    }

    VerifyOptions options() {
      return new VerifyOptions(model.ignorePaths(), model.ignoreGitPaths(), model.allowSymlinks(), ignoreUnsignedFiles);
    }
  }

  abstract static class Method extends LeafCommand {
    /** This method's spec with the shared options; the method adds its own after them. */
    final CommandSpec methodSpec(String name, String description) {
      CommandSpec spec = newSpec(name, description);
      Common.addTo(spec);
      return spec;
    }

    abstract SignatureVerifier verifier(ParseResult args, CommandContext context) throws Exception;

    /** Usage checks beyond what picocli does (a {@link CommandLine.ParameterException}: exit 2). */
    void checkOptions(ParseResult args) {}

    @Override
    public Integer call() {
      ParseResult args = args();
      checkOptions(args);
      Common common = Common.from(args);
      CommandContext context = context(TerminationLog.forContainer(common.terminationLog(), System.getenv()));
      if (common.repeatEverySeconds() != null) {
        return repeat(args, common, context);
      }
      return check(args, common, context, new ReadyFile(common.readyFile()));
    }

    /** Sleeps; an interrupt (the sidecar being stopped) ends the sleep and stays set for the loop to see. */
    private static void sleep(long millis) {
      if (millis <= 0) {
        return;
      }
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** One verification with its success or failure line; the ready file (if any) follows the outcome. */
    private int check(ParseResult args, Common common, CommandContext context, ReadyFile ready) {
      int code =
          Outcome.run(
              context,
              "Verification succeeded",
              "Verification failed with error",
              () -> verifyOnce(args, common, context));
      ready.record(code == 0);
      return code;
    }

    void verifyOnce(ParseResult args, Common common, CommandContext context) throws Exception {
      SignatureVerifier verifier = verifier(args, context);
      try (ModelHasher hasher = context.newHasher()) {
        VerificationResult result;
        try {
          result =
              new ModelVerifier(verifier, hasher)
                  .verify(common.model().modelPath(), common.signature(), common.options());
        } catch (ModelSigningException e) {
          printWarnings(e.warnings(), context); // Python prints them as found, before the failure
          throw e;
        }
        printWarnings(result.warnings(), context);
      }
    }

    /**
     * Python prints the old-format warning with print() (stdout, always); certificate warnings are log lines at
     * WARNING level (stderr, hidden by {@code --log-level ERROR} or {@code CRITICAL}).
     */
    private static void printWarnings(List<String> warnings, CommandContext context) {
      for (String warning : warnings) {
        if (warning.startsWith("WARNING: ")) {
          context.out().println(warning);
        } else if (context.logLevel().showsWarnings()) {
          context.err().println(warning);
        }
      }
    }

    /** Continuous validation: verify every interval until killed; the ready file tells the readiness probe. */
    private int repeat(ParseResult args, Common common, CommandContext context) {
      long seconds = common.repeatEverySeconds();
      if (seconds < 1) {
        context.err().println("Verification failed with error: --repeat-every must be at least 1 second");
        return 2;
      }
      ReadyFile ready = new ReadyFile(common.readyFile());
      // A ready file younger than the interval was left by a one-shot verification that just passed (the operator's
      // init container): it counts as the first run, so a big model is not hashed twice as its pod starts.
      long firstDelayMillis = ready.youngerThan(seconds * 1000);
      sleep(firstDelayMillis);
      while (!Thread.currentThread().isInterrupted()) {
        check(args, common, context, ready);
        sleep(seconds * 1000);
      }
      return 0;
    }
  }

  static final class Sigstore extends Method {
    private Sigstore() {}

    static CommandSpec spec() {
      CommandSpec spec =
          new Sigstore()
              .methodSpec("sigstore", "Verify a Sigstore (keyless) signature, offline against a trusted root.");
      spec.addOption(
          Specs.option("--identity", "ID", String.class, "Expected signer identity (certificate SAN), exact match.")
              .required(true)
              .build());
      spec.addOption(
          Specs.option("--identity-provider", "URL", String.class, "Expected OIDC issuer, exact match.")
              .required(true)
              .build());
      spec.addOption(Specs.flag("--use-staging", "Trust Sigstore's staging instances."));
      spec.addOption(
          Specs.option(
                  "--trust-config",
                  "PATH",
                  Path.class,
                  "A ClientTrustConfig (or trusted_root) JSON file; beats --use-staging.")
              .build());
      spec.addOption(
          Specs.option(
                  "--trust-config-env",
                  "NAME",
                  String.class,
                  "Beyond Python: the ClientTrustConfig JSON in environment variable NAME (what the operator injects).")
              .build());
      spec.addOption(
          Specs.flag(
              "--tuf-refresh", "Fetch the current trusted root over TUF (network) instead of the bundled snapshot."));
      return spec;
    }

    @Override
    void checkOptions(ParseResult args) {
      TrustFromEnvironment.requireOneOf(args, "--trust-config", "--trust-config-env", true);
    }

    @Override
    SignatureVerifier verifier(ParseResult args, CommandContext context) throws ModelSigningException {
      Path trustConfig = Specs.value(args, "--trust-config");
      String trustConfigEnv = Specs.value(args, "--trust-config-env");
      boolean tufRefresh = Specs.value(args, "--tuf-refresh");
      boolean useStaging = Specs.value(args, "--use-staging");
      SigstoreTrust trust =
          trustConfigEnv != null
              ? SigstoreTrust.fromClientTrustConfig(
                  context.environment().value(trustConfigEnv).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                  TrustFromEnvironment.source(trustConfigEnv))
              : trustConfig != null
              ? SigstoreTrust.fromClientTrustConfig(trustConfig)
              : tufRefresh
                  ? SigstoreTrust.refreshFromTuf(useStaging)
                  : useStaging ? SigstoreTrust.staging() : SigstoreTrust.publicGood();
      return new SigstoreSignatureVerifier(
          trust, Specs.value(args, "--identity"), Specs.value(args, "--identity-provider"));
    }
  }

  static final class Key extends Method {
    private Key() {}

    static CommandSpec spec() {
      CommandSpec spec = new Key().methodSpec("key", "Verify a signature made with an elliptic-curve key.");
      spec.addOption(Specs.option("--public-key", "PATH", Path.class, "The public key (PEM).").build());
      spec.addOption(
          Specs.option(
                  "--public-key-env",
                  "NAME",
                  String.class,
                  "Beyond Python: the PEM public key in environment variable NAME (what the operator injects).")
              .build());
      return spec;
    }

    @Override
    void checkOptions(ParseResult args) {
      TrustFromEnvironment.requireOneOf(args, "--public-key", "--public-key-env", false);
    }

    @Override
    SignatureVerifier verifier(ParseResult args, CommandContext context) throws ModelSigningException {
      String env = Specs.value(args, "--public-key-env");
      if (env != null) {
        return new KeySignatureVerifier(
            PemKeys.parsePublicKey(context.environment().value(env), TrustFromEnvironment.source(env)));
      }
      return KeySignatureVerifier.fromPemFile(Specs.value(args, "--public-key"));
    }
  }

  static final class Certificate extends Method {
    private Certificate() {}

    static CommandSpec spec() {
      CommandSpec spec =
          new Certificate().methodSpec("certificate", "Verify a signature made with an X.509 certificate.");
      spec.addOption(
          Specs.paths(
              "--certificate-chain",
              "PATH",
              "Trusted certificates, PEM (repeatable); the chain must end in a self-signed one given here. "
                  + "None: the JDK's default CA certificates."));
      spec.addOption(
          Specs.option(
                  "--certificate-chain-env",
                  "NAME",
                  String.class,
                  "Beyond Python: trusted certificates (PEM) in environment variable NAME (what the operator injects).")
              .build());
      spec.addOption(
          Specs.flag("--log-fingerprints", "Log the SHA-256 fingerprints of all certificates (INFO)."));
      return spec;
    }

    @Override
    void checkOptions(ParseResult args) {
      TrustFromEnvironment.requireOneOf(args, "--certificate-chain", "--certificate-chain-env", true);
    }

    @Override
    SignatureVerifier verifier(ParseResult args, CommandContext context) throws ModelSigningException {
      List<Path> certificateChain = Specs.value(args, "--certificate-chain");
      String env = Specs.value(args, "--certificate-chain-env");
      boolean logFingerprints = Specs.value(args, "--log-fingerprints");
      if (env != null) {
        TrustStore trusted =
            new TrustStore(
                PemKeys.parseCertificates(context.environment().value(env), TrustFromEnvironment.source(env)));
        return new CertificateSignatureVerifier(trusted, logFingerprints ? context.infoLog() : null);
      }
      return CertificateSignatureVerifier.fromChainFiles(certificateChain, logFingerprints ? context.infoLog() : null);
    }
  }
}
