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
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sign [METHOD] MODEL_PATH}: hash the model and write a signature bundle. */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = "Sign a model. METHOD defaults to sigstore (then MODEL_PATH must come first).")
final class SignCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing signing method.");
  }

  /** Options every signing method has. */
  static final class Common {
    @Mixin ModelOptions model;
    @Mixin SerializationOptions serialization;

    @Option(
        names = "--signature",
        paramLabel = "PATH",
        description = "Where to write the signature (default: model.sig, relative to the current directory).")
    Path signature = Path.of("model.sig");
  }

  abstract static class Method extends LeafCommand {
    @Mixin Common common;

    abstract PayloadSigner signer(CommandContext context) throws Exception;

    @Override
    public Integer call() {
      CommandContext context = context();
      return Outcome.run(
          context,
          "Signing succeeded",
          "Signing failed with error",
          () -> {
            PayloadSigner signer = signer(context);
            try (ModelHasher hasher = context.newHasher()) {
              new ModelSigner(signer, hasher)
                  .sign(common.model.modelPath, common.signature, hashingOptions(common.model, common.serialization));
            }
          });
    }
  }

  @Command(name = "sigstore", mixinStandardHelpOptions = true, description = "Sign with Sigstore (keyless: Fulcio + Rekor).")
  static final class Sigstore extends Method {
    @Option(names = "--use-staging", description = "Use Sigstore's staging instances (beats --trust-config here).")
    boolean useStaging;

    @Option(names = "--trust-config", paramLabel = "PATH", description = "A ClientTrustConfig JSON file (private Sigstore).")
    Path trustConfig;

    @Option(names = "--use-ambient-credentials", description = "Take the OIDC token from the CI environment.")
    boolean useAmbientCredentials;

    @Option(names = "--identity-token", paramLabel = "TOKEN", description = "An OIDC identity token to sign with.")
    String identityToken;

    @Option(names = "--oauth-force-oob", description = "Accepted for compatibility; interactive OAuth is not supported.")
    boolean oauthForceOob;

    @Option(names = "--client-id", paramLabel = "ID", description = "OIDC client id (default: sigstore).")
    String clientId = "sigstore";

    @Option(names = "--client-secret", paramLabel = "SECRET", description = "OIDC client secret (default: empty).")
    String clientSecret = "";

    @Override
    PayloadSigner signer(CommandContext context) throws ModelSigningException {
      // Python's sign prefers --use-staging over --trust-config (verify does the reverse).
      SigstoreTrust trust =
          useStaging
              ? SigstoreTrust.staging()
              : trustConfig != null ? SigstoreTrust.fromClientTrustConfig(trustConfig) : SigstoreTrust.publicGood();
      String token = identityToken;
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

  @Command(name = "key", mixinStandardHelpOptions = true, description = "Sign with an elliptic-curve private key (PEM).")
  static final class Key extends Method {
    @Option(names = "--private-key", required = true, paramLabel = "PATH", description = "EC private key (SEC1 or PKCS#8 PEM, possibly encrypted).")
    Path privateKey;

    @Option(names = "--password", paramLabel = "PASSWORD", description = "Password of an encrypted private key.")
    String password;

    @Override
    PayloadSigner signer(CommandContext context) throws ModelSigningException {
      return KeyPayloadSigner.fromPemFile(privateKey, password == null ? null : password.toCharArray());
    }
  }

  @Command(name = "certificate", mixinStandardHelpOptions = true, description = "Sign with a private key and its X.509 certificate chain.")
  static final class Certificate extends Method {
    @Option(names = "--private-key", required = true, paramLabel = "PATH", description = "EC private key (PEM).")
    Path privateKey;

    @Option(names = "--password", paramLabel = "PASSWORD", description = "Password of an encrypted private key.")
    String password;

    @Option(names = "--signing-certificate", required = true, paramLabel = "PATH", description = "The signing (leaf) certificate, PEM.")
    Path signingCertificate;

    @Option(names = "--certificate-chain", paramLabel = "PATH", description = "Chain certificates to include, PEM (repeatable).")
    List<Path> certificateChain = new ArrayList<>();

    @Override
    PayloadSigner signer(CommandContext context) throws ModelSigningException {
      return CertificatePayloadSigner.fromPemFiles(
          privateKey, password == null ? null : password.toCharArray(), signingCertificate, certificateChain);
    }
  }

  /** PKCS#11 signing is not implemented yet: the command exists so scripts get a clear message. */
  abstract static class Pkcs11 extends Method {
    @Option(names = "--pkcs11-uri", required = true, paramLabel = "URI", description = "PKCS#11 URI of the key (RFC 7512).")
    String uri;

    @Override
    PayloadSigner signer(CommandContext context) throws ModelSigningException {
      throw new ModelSigningException(
          "PKCS#11 signing is not supported by this implementation yet; sign with `key` or `certificate`, "
              + "or with Python model_signing (its signatures verify here)");
    }
  }

  @Command(name = "pkcs11-key", mixinStandardHelpOptions = true, description = "Sign with a PKCS#11 key (not supported yet).")
  static final class Pkcs11Key extends Pkcs11 {}

  @Command(name = "pkcs11-certificate", mixinStandardHelpOptions = true, description = "Sign with a PKCS#11 key and certificate (not supported yet).")
  static final class Pkcs11Certificate extends Pkcs11 {
    @Option(names = "--signing-certificate", required = true, paramLabel = "PATH")
    Path signingCertificate;

    @Option(names = "--certificate-chain", paramLabel = "PATH")
    List<Path> certificateChain = new ArrayList<>();
  }
}
