package dev.modelvalidation.cli;

import dev.modelvalidation.modelsigning.ModelHasher;
import dev.modelvalidation.modelsigning.ModelSigner;
import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.oidc.AmbientCredentials;
import dev.modelvalidation.modelsigning.signature.CertificatePayloadSigner;
import dev.modelvalidation.modelsigning.signature.KeyPayloadSigner;
import dev.modelvalidation.modelsigning.signature.PayloadSigner;
import dev.modelvalidation.modelsigning.sigstore.SigstorePayloadSigner;
import dev.modelvalidation.modelsigning.sigstore.SigstoreTrust;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** {@code sign [METHOD] MODEL_PATH}: hash the model and write a signature bundle. */
final class SignCommand implements Runnable {
  private CommandSpec spec;

  private SignCommand() {}

  static CommandSpec spec() {
    SignCommand command = new SignCommand();
    command.spec =
        Specs.command("sign", command, "Sign a model. METHOD defaults to sigstore (then MODEL_PATH must come first).");
    return command.spec;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing signing method.");
  }

  /**
   * Options every signing method has.
   *
   * @param signature where to write the signature
   */
  record Common(ModelOptions model, SerializationOptions serialization, Path signature) {
    static void addTo(CommandSpec spec) {
      ModelOptions.addOptionsTo(spec);
      SerializationOptions.addTo(spec);
      spec.addOption(
          Specs.option(
                  "--signature",
                  "PATH",
                  Path.class,
                  "Where to write the signature (default: model.sig, relative to the current directory).")
              .initialValue(Path.of("model.sig"))
              .build());
      ModelOptions.addModelPathTo(spec);
    }

    static Common from(ParseResult args) {
      return new Common(ModelOptions.from(args), SerializationOptions.from(args), Specs.value(args, "--signature"));
    }
  }

  abstract static class Method extends LeafCommand {
    /** This method's spec with the shared options; the method adds its own after them. */
    final CommandSpec methodSpec(String name, String description) {
      CommandSpec spec = newSpec(name, description);
      Common.addTo(spec);
      return spec;
    }

    abstract PayloadSigner signer(ParseResult args, CommandContext context) throws Exception;

    @Override
    public Integer call() {
      ParseResult args = args();
      Common common = Common.from(args);
      CommandContext context = context();
      return Outcome.run(
          context,
          "Signing succeeded",
          "Signing failed with error",
          () -> {
            PayloadSigner signer = signer(args, context);
            try (ModelHasher hasher = context.newHasher()) {
              new ModelSigner(signer, hasher)
                  .sign(common.model().modelPath(), common.signature(), hashingOptions(common.model(), common.serialization()));
            }
          });
    }
  }

  static final class Sigstore extends Method {
    private Sigstore() {}

    static CommandSpec spec() {
      CommandSpec spec = new Sigstore().methodSpec("sigstore", "Sign with Sigstore (keyless: Fulcio + Rekor).");
      spec.addOption(Specs.flag("--use-staging", "Use Sigstore's staging instances (beats --trust-config here)."));
      spec.addOption(
          Specs.option("--trust-config", "PATH", Path.class, "A ClientTrustConfig JSON file (private Sigstore).").build());
      spec.addOption(Specs.flag("--use-ambient-credentials", "Take the OIDC token from the CI environment."));
      spec.addOption(
          Specs.option("--identity-token", "TOKEN", String.class, "An OIDC identity token to sign with.").build());
      spec.addOption(
          Specs.flag("--oauth-force-oob", "Accepted for compatibility; interactive OAuth is not supported."));
      spec.addOption(
          Specs.option("--client-id", "ID", String.class, "OIDC client id (default: sigstore).")
              .initialValue("sigstore")
              .build());
      spec.addOption(
          Specs.option("--client-secret", "SECRET", String.class, "OIDC client secret (default: empty).")
              .initialValue("")
              .build());
      return spec;
    }

    @Override
    PayloadSigner signer(ParseResult args, CommandContext context) throws ModelSigningException {
      boolean useStaging = Specs.value(args, "--use-staging");
      Path trustConfig = Specs.value(args, "--trust-config");
      // Python's sign prefers --use-staging over --trust-config (verify does the reverse).
      SigstoreTrust trust =
          useStaging
              ? SigstoreTrust.staging()
              : trustConfig != null ? SigstoreTrust.fromClientTrustConfig(trustConfig) : SigstoreTrust.publicGood();
      String token = Specs.value(args, "--identity-token");
      boolean useAmbientCredentials = Specs.value(args, "--use-ambient-credentials");
      if (token == null && useAmbientCredentials) {
        token = AmbientCredentials.fromEnvironment(System.getenv()).detect().orElse(null);
      }
      if (token == null) {
        throw new ModelSigningException(
            "no identity token: pass --identity-token, or --use-ambient-credentials in a CI system that provides "
                + "one (interactive OAuth sign-in is not supported by this implementation)");
      }
      return new SigstorePayloadSigner(trust, token);
    }
  }

  static final class Key extends Method {
    private Key() {}

    static CommandSpec spec() {
      CommandSpec spec = new Key().methodSpec("key", "Sign with an elliptic-curve private key (PEM).");
      spec.addOption(
          Specs.option(
                  "--private-key", "PATH", Path.class, "EC private key (SEC1 or PKCS#8 PEM, possibly encrypted).")
              .required(true)
              .build());
      spec.addOption(
          Specs.option("--password", "PASSWORD", String.class, "Password of an encrypted private key.").build());
      return spec;
    }

    @Override
    PayloadSigner signer(ParseResult args, CommandContext context) throws ModelSigningException {
      Path privateKey = Specs.value(args, "--private-key");
      String password = Specs.value(args, "--password");
      return KeyPayloadSigner.fromPemFile(privateKey, password == null ? null : password.toCharArray());
    }
  }

  static final class Certificate extends Method {
    private Certificate() {}

    static CommandSpec spec() {
      CommandSpec spec =
          new Certificate().methodSpec("certificate", "Sign with a private key and its X.509 certificate chain.");
      spec.addOption(
          Specs.option("--private-key", "PATH", Path.class, "EC private key (PEM).").required(true).build());
      spec.addOption(
          Specs.option("--password", "PASSWORD", String.class, "Password of an encrypted private key.").build());
      spec.addOption(
          Specs.option("--signing-certificate", "PATH", Path.class, "The signing (leaf) certificate, PEM.")
              .required(true)
              .build());
      spec.addOption(
          Specs.paths("--certificate-chain", "PATH", "Chain certificates to include, PEM (repeatable)."));
      return spec;
    }

    @Override
    PayloadSigner signer(ParseResult args, CommandContext context) throws ModelSigningException {
      Path privateKey = Specs.value(args, "--private-key");
      String password = Specs.value(args, "--password");
      Path signingCertificate = Specs.value(args, "--signing-certificate");
      List<Path> certificateChain = Specs.value(args, "--certificate-chain");
      return CertificatePayloadSigner.fromPemFiles(
          privateKey, password == null ? null : password.toCharArray(), signingCertificate, certificateChain);
    }
  }

  /** PKCS#11 signing is not implemented yet: the commands exist so scripts get a clear message. */
  abstract static class Pkcs11 extends Method {
    final CommandSpec pkcs11Spec(String name, String description) {
      CommandSpec spec = methodSpec(name, description);
      spec.addOption(
          Specs.option("--pkcs11-uri", "URI", String.class, "PKCS#11 URI of the key (RFC 7512).")
              .required(true)
              .build());
      return spec;
    }

    @Override
    PayloadSigner signer(ParseResult args, CommandContext context) throws ModelSigningException {
      throw new ModelSigningException(
          "PKCS#11 signing is not supported by this implementation yet; sign with `key` or `certificate`, "
              + "or with Python model_signing (its signatures verify here)");
    }
  }

  static final class Pkcs11Key extends Pkcs11 {
    private Pkcs11Key() {}

    static CommandSpec spec() {
      return new Pkcs11Key().pkcs11Spec("pkcs11-key", "Sign with a PKCS#11 key (not supported yet).");
    }
  }

  static final class Pkcs11Certificate extends Pkcs11 {
    private Pkcs11Certificate() {}

    static CommandSpec spec() {
      CommandSpec spec =
          new Pkcs11Certificate()
              .pkcs11Spec("pkcs11-certificate", "Sign with a PKCS#11 key and certificate (not supported yet).");
      spec.addOption(Specs.option("--signing-certificate", "PATH", Path.class).required(true).build());
      spec.addOption(Specs.paths("--certificate-chain", "PATH"));
      return spec;
    }
  }
}
