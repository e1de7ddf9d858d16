package dev.modelvalidation.cli;

import dev.modelvalidation.modelsigning.ModelHasher;
import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.ModelVerifier;
import dev.modelvalidation.modelsigning.VerificationResult;
import dev.modelvalidation.modelsigning.VerifyOptions;
import dev.modelvalidation.modelsigning.signature.CertificateSignatureVerifier;
import dev.modelvalidation.modelsigning.signature.KeySignatureVerifier;
import dev.modelvalidation.modelsigning.signature.SignatureVerifier;
import dev.modelvalidation.modelsigning.sigstore.SigstoreSignatureVerifier;
import dev.modelvalidation.modelsigning.sigstore.SigstoreTrust;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code verify [METHOD] MODEL_PATH --signature PATH}: check the signature, then the model against it. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = "Verify a model. METHOD defaults to sigstore (then MODEL_PATH must come first).")
final class VerifyCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing verification method.");
  }

  /** Options every verification method has. */
  static final class Common {
    @Mixin ModelOptions model;

    @Option(names = "--signature", required = true, paramLabel = "PATH", description = "The signature file (a Sigstore bundle).")
    Path signature;

    boolean ignoreUnsignedFiles;

    @Option(names = "--ignore-unsigned-files", description = "Only check the files the signature names.")
    void ignoreUnsigned(boolean ignored) {
      ignoreUnsignedFiles = true;
    }

    @Option(names = "--no-ignore-unsigned-files", description = "Fail on files the signature does not name (default).")
    void noIgnoreUnsigned(boolean ignored) {
      ignoreUnsignedFiles = false;
    }

    @Option(
        names = "--termination-log",
        paramLabel = "PATH",
        description = "Also write the failure reason here. Default in a Kubernetes container: /dev/termination-log.")
    Path terminationLog;

    @Option(
        names = "--repeat-every",
        paramLabel = "SECONDS",
        description = "Keep verifying: now, then every SECONDS, forever (a continuous-validation sidecar).")
    Long repeatEverySeconds;

    @Option(
        names = "--ready-file",
        paramLabel = "PATH",
        description = "With --repeat-every: touch PATH after each passing check, delete it after a failing one.")
    Path readyFile;

    VerifyOptions options() {
      return new VerifyOptions(model.ignorePaths, model.ignoreGitPaths, model.allowSymlinks, ignoreUnsignedFiles);
    }
  }

  abstract static class Method extends LeafCommand {
    @Mixin Common common;

    abstract SignatureVerifier verifier(CommandContext context) throws Exception;

    @Override
    public Integer call() {
      CommandContext context = context(TerminationLog.forContainer(common.terminationLog, System.getenv()));
      if (common.repeatEverySeconds != null) {
        return repeat(context);
      }
      return Outcome.run(context, "Verification succeeded", "Verification failed with error", () -> verifyOnce(context));
    }

    void verifyOnce(CommandContext context) throws Exception {
      SignatureVerifier verifier = verifier(context);
      try (ModelHasher hasher = context.newHasher()) {
        VerificationResult result =
            new ModelVerifier(verifier, hasher).verify(common.model.modelPath, common.signature, common.options());
        for (String warning : result.warnings()) {
          // Python prints the old-format warning with print() (stdout); certificate warnings are log lines (stderr).
          (warning.startsWith("WARNING: ") ? context.out() : context.err()).println(warning);
        }
      }
    }

    /** Continuous validation: verify every interval until killed; the ready file tells the readiness probe. */
    private int repeat(CommandContext context) {
      long seconds = common.repeatEverySeconds;
      if (seconds < 1) {
        context.err().println("Verification failed with error: --repeat-every must be at least 1 second");
        return 2;
      }
      ReadyFile ready = new ReadyFile(common.readyFile);
      while (!Thread.currentThread().isInterrupted()) {
        int code = Outcome.run(context, "Verification succeeded", "Verification failed with error", () -> verifyOnce(context));
        ready.record(code == 0);
        try {
          Thread.sleep(seconds * 1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return 0;
    }
  }

  @Command(name = "sigstore", mixinStandardHelpOptions = true, description = "Verify a Sigstore (keyless) signature, offline against a trusted root.")
  static final class Sigstore extends Method {
    @Option(names = "--identity", required = true, paramLabel = "ID", description = "Expected signer identity (certificate SAN), exact match.")
    String identity;

    @Option(names = "--identity-provider", required = true, paramLabel = "URL", description = "Expected OIDC issuer, exact match.")
    String identityProvider;

    @Option(names = "--use-staging", description = "Trust Sigstore's staging instances.")
    boolean useStaging;

    @Option(names = "--trust-config", paramLabel = "PATH", description = "A ClientTrustConfig (or trusted_root) JSON file; beats --use-staging.")
    Path trustConfig;

    @Option(
        names = "--tuf-refresh",
        description = "Fetch the current trusted root over TUF (network) instead of the bundled snapshot.")
    boolean tufRefresh;

    @Override
    SignatureVerifier verifier(CommandContext context) throws ModelSigningException {
      SigstoreTrust trust =
          trustConfig != null
              ? SigstoreTrust.fromClientTrustConfig(trustConfig)
              : tufRefresh
                  ? SigstoreTrust.refreshFromTuf(useStaging)
                  : useStaging ? SigstoreTrust.staging() : SigstoreTrust.publicGood();
      return new SigstoreSignatureVerifier(trust, identity, identityProvider);
    }
  }

  @Command(name = "key", mixinStandardHelpOptions = true, description = "Verify a signature made with an elliptic-curve key.")
  static final class Key extends Method {
    @Option(names = "--public-key", required = true, paramLabel = "PATH", description = "The public key (PEM).")
    Path publicKey;

    @Override
    SignatureVerifier verifier(CommandContext context) throws ModelSigningException {
      return KeySignatureVerifier.fromPemFile(publicKey);
    }
  }

  @Command(name = "certificate", mixinStandardHelpOptions = true, description = "Verify a signature made with an X.509 certificate.")
  static final class Certificate extends Method {
    @Option(
        names = "--certificate-chain",
        paramLabel = "PATH",
        description = "Trusted certificates, PEM (repeatable); the chain must end in a self-signed one given here. "
            + "None: the JDK's default CA certificates.")
    List<Path> certificateChain = new ArrayList<>();

    @Option(names = "--log-fingerprints", description = "Log the SHA-256 fingerprints of all certificates (INFO).")
    boolean logFingerprints;

    @Override
    SignatureVerifier verifier(CommandContext context) throws ModelSigningException {
      return CertificateSignatureVerifier.fromChainFiles(certificateChain, logFingerprints ? context.infoLog() : null);
    }
  }
}
