package dev.modelvalidation.modelsigning.sigstore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelvalidation.modelsigning.ModelSigningException;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.modelvalidation.modelsigning.json.JsonTrees;
import dev.sigstore.proto.trustroot.v1.TrustedRoot;
import dev.sigstore.trustroot.SigstoreConfigurationException;
import dev.sigstore.trustroot.SigstoreSigningConfig;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import dev.sigstore.tuf.SigstoreTufClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Sigstore trust material used to verify (trusted root: Fulcio CAs, Rekor keys, CT log keys, timestamp
 * authorities) and to sign (signing config: Fulcio, Rekor, TSA and OIDC URLs).
 *
 * <p>Immutable. {@link #publicGood()} and {@link #staging()} are bundled snapshots and never touch the network;
 * {@link #refreshFromTuf(boolean)} fetches the current material over TUF (network).
 */
public final class SigstoreTrust {
  /** Media type of a ClientTrustConfig (the {@code --trust-config} file). */
  public static final String CLIENT_TRUST_CONFIG_MEDIA_TYPE = "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json";

  private static final String TRUSTED_ROOT_MEDIA_TYPE_PREFIX = "application/vnd.dev.sigstore.trustedroot";
  private static final String RESOURCES = "/dev/modelvalidation/modelsigning/sigstore/";

  private final String description;
  private final SigstoreTrustedRoot trustedRoot;
  /** Null without a signing config; the bundled ones are parsed on first use (verification never needs them). */
  private final Supplier<SigstoreSigningConfig> signingConfig;

  /** A signing config already parsed (a record, so no lambda is spun up at start-up). */
  private record Parsed(SigstoreSigningConfig config) implements Supplier<SigstoreSigningConfig> {
    static Supplier<SigstoreSigningConfig> of(SigstoreSigningConfig config) {
      return config == null ? null : new Parsed(config);
    }

    @Override
    public SigstoreSigningConfig get() {
      return config;
    }
  }

  private SigstoreTrust(
      String description, SigstoreTrustedRoot trustedRoot, Supplier<SigstoreSigningConfig> signingConfig) {
    this.description = Objects.requireNonNull(description);
    this.trustedRoot = Objects.requireNonNull(trustedRoot);
    this.signingConfig = signingConfig;
  }

  /** The bundled snapshot of the Sigstore public-good instance (fulcio.sigstore.dev, rekor.sigstore.dev). */
  public static SigstoreTrust publicGood() {
    return bundled("Sigstore public-good (bundled snapshot)", "public-good", BundledTrustedRoots.PUBLIC_GOOD);
  }

  /** The bundled snapshot of the Sigstore staging instance (sigstage.dev). */
  public static SigstoreTrust staging() {
    return bundled("Sigstore staging (bundled snapshot)", "staging", BundledTrustedRoots.STAGING);
  }

  /**
   * The trusted root comes from {@link BundledTrustedRoots} (the JSON resource in binary protobuf: no JSON parsing
   * and no jar lookup on every keyless verify); the signing config from its JSON resource when first asked for.
   */
  private static SigstoreTrust bundled(String description, String prefix, String trustedRootBase64) {
    SigstoreTrustedRoot root;
    try {
      root = checked(
          SigstoreTrustedRoot.from(TrustedRoot.parseFrom(Base64.getMimeDecoder().decode(trustedRootBase64))),
          description);
    } catch (InvalidProtocolBufferException | SigstoreConfigurationException | ModelSigningException
        | RuntimeException e) {
      throw new IllegalStateException("bundled Sigstore trusted root is broken: " + e.getMessage(), e);
    }
    return new SigstoreTrust(description, root, memoized(() -> {
      try {
        return parseSigningConfig(resource(prefix + "-signing_config.json"), description);
      } catch (ModelSigningException | RuntimeException e) {
        throw new IllegalStateException("bundled Sigstore signing config is broken: " + e.getMessage(), e);
      }
    }));
  }

  private static <T> Supplier<T> memoized(Supplier<T> supplier) {
    return new Supplier<>() {
      private volatile T value;

      @Override
      public T get() {
        T v = value;
        if (v == null) {
          synchronized (this) {
            v = value;
            if (v == null) {
              v = supplier.get();
              value = v;
            }
          }
        }
        return v;
      }
    };
  }

  private static byte[] resource(String name) {
    try (InputStream in = SigstoreTrust.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("missing bundled resource " + RESOURCES + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a ClientTrustConfig JSON ({@code mediaType} {@value #CLIENT_TRUST_CONFIG_MEDIA_TYPE}, with
   * {@code trustedRoot} and {@code signingConfig}), or a bare {@code trusted_root.json} (verification only).
   */
  public static SigstoreTrust fromClientTrustConfig(Path file) throws ModelSigningException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ModelSigningException("Trust config " + file + " does not exist");
    } catch (IOException e) {
      throw new ModelSigningException("Cannot read trust config " + file + ": " + e.getMessage(), e);
    }
    return fromClientTrustConfig(bytes, "trust config " + file);
  }

  /**
   * Reads a ClientTrustConfig (or bare trusted root) JSON as {@link #fromClientTrustConfig(Path)} does, from bytes that
   * came from {@code where} (named in error messages).
   */
  public static SigstoreTrust fromClientTrustConfig(byte[] bytes, String where) throws ModelSigningException {
    JsonNode root;
    try {
      root = JsonTrees.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new ModelSigningException("Invalid " + where + ": not valid JSON: " + Messages.firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ModelSigningException("Cannot read " + where + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ModelSigningException("Invalid " + where + ": expected a JSON object");
    }
    String mediaType = root.path("mediaType").asText("");
    if (root.has("trustedRoot")) {
      if (!mediaType.isEmpty() && !mediaType.equals(CLIENT_TRUST_CONFIG_MEDIA_TYPE)) {
        throw new ModelSigningException(
            "Invalid " + where + ": unsupported mediaType " + mediaType + ", expected " + CLIENT_TRUST_CONFIG_MEDIA_TYPE);
      }
      JsonNode trustedRootNode = root.get("trustedRoot");
      SigstoreTrustedRoot trustedRoot = parseTrustedRoot(toBytes(trustedRootNode), where);
      JsonNode signingConfigNode = root.get("signingConfig");
      SigstoreSigningConfig signingConfig =
          signingConfigNode == null || signingConfigNode.isNull() ? null : parseSigningConfig(toBytes(signingConfigNode), where);
      return new SigstoreTrust(where, trustedRoot, Parsed.of(signingConfig));
    }
    if (mediaType.startsWith(TRUSTED_ROOT_MEDIA_TYPE_PREFIX) || root.has("certificateAuthorities") || root.has("tlogs")) {
      return new SigstoreTrust(where + " (trusted root only)", parseTrustedRoot(bytes, where), null);
    }
    throw new ModelSigningException("Invalid " + where + ": neither a ClientTrustConfig (" + CLIENT_TRUST_CONFIG_MEDIA_TYPE
        + " with trustedRoot) nor a Sigstore trusted root" + (mediaType.isEmpty() ? "" : " (mediaType " + mediaType + ")"));
  }

  /** Builds trust from in-memory trusted root JSON and optional signing config JSON (e.g. a private deployment). */
  public static SigstoreTrust of(String description, byte[] trustedRootJson, byte[] signingConfigJson)
      throws ModelSigningException {
    return new SigstoreTrust(
        description,
        parseTrustedRoot(trustedRootJson, description),
        signingConfigJson == null ? null : new Parsed(parseSigningConfig(signingConfigJson, description)));
  }

  /**
   * Fetches the current trusted root and signing config of the public-good (or staging) instance over TUF, using
   * sigstore-java's TUF client (embedded TUF root, cache in {@code ~/.sigstore-java}). Needs network access to
   * {@code tuf-repo-cdn.sigstore.dev} (or {@code tuf-repo-cdn.sigstage.dev}); never called implicitly.
   */
  public static SigstoreTrust refreshFromTuf(boolean staging) throws ModelSigningException {
    String name = staging ? "Sigstore staging (TUF)" : "Sigstore public-good (TUF)";
    try {
      SigstoreTufClient.Builder builder = SigstoreTufClient.builder();
      SigstoreTufClient client = (staging ? builder.useStagingInstance() : builder.usePublicGoodInstance()).build();
      client.update();
      return new SigstoreTrust(name, client.getSigstoreTrustedRoot(), Parsed.of(client.getSigstoreSigningConfig()));
    } catch (IOException | SigstoreConfigurationException | RuntimeException e) {
      throw new ModelSigningException(
          "Cannot refresh " + name + " trust material over TUF: " + Messages.describe(e)
              + " (use the bundled snapshot or --trust-config when offline)",
          e);
    }
  }

  private static byte[] toBytes(JsonNode node) throws ModelSigningException {
    try {
      return new ObjectMapper().writeValueAsBytes(node); // only for --trust-config files
    } catch (JsonProcessingException e) {
      throw new ModelSigningException("Cannot re-encode trust config JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static SigstoreTrustedRoot parseTrustedRoot(byte[] json, String where) throws ModelSigningException {
    SigstoreTrustedRoot root;
    try {
      root = SigstoreTrustedRoot.from(new ByteArrayInputStream(json));
    } catch (SigstoreConfigurationException | RuntimeException e) {
      throw new ModelSigningException("Invalid trusted root in " + where + ": " + Messages.describe(e), e);
    }
    return checked(root, where);
  }

  private static SigstoreTrustedRoot checked(SigstoreTrustedRoot root, String where) throws ModelSigningException {
    if (root.getCAs().isEmpty()) {
      throw new ModelSigningException("Invalid trusted root in " + where + ": it lists no Fulcio certificate authorities");
    }
    if (root.getTLogs().isEmpty()) {
      throw new ModelSigningException("Invalid trusted root in " + where + ": it lists no transparency logs (Rekor)");
    }
    return root;
  }

  private static SigstoreSigningConfig parseSigningConfig(byte[] json, String where) throws ModelSigningException {
    try {
      return SigstoreSigningConfig.from(new ByteArrayInputStream(json));
    } catch (SigstoreConfigurationException | RuntimeException e) {
      throw new ModelSigningException("Invalid signing config in " + where + ": " + Messages.describe(e), e);
    }
  }

  /** Where this trust comes from, for messages. */
  public String description() {
    return description;
  }

  /** The trusted root (sigstore-java's immutable model). */
  public SigstoreTrustedRoot trustedRoot() {
    return trustedRoot;
  }

  /** The signing config, absent when only a bare trusted root was given. */
  public Optional<SigstoreSigningConfig> signingConfig() {
    return signingConfig == null ? Optional.empty() : Optional.of(signingConfig.get());
  }

  @Override
  public String toString() {
    return description;
  }
}
