package dev.modelvalidation.modelsigning.bundle;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.signature.SignatureTestData;
import java.util.Base64;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BundleParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final BundleParser parser = new BundleParser();

  @ParameterizedTest
  @CsvSource({
    "v0.2.0-certificate, CERTIFICATE",
    "v0.3.1-certificate, CERTIFICATE",
    "v1.0.0-certificate, CERTIFICATE",
    "v1.0.1-certificate, CERTIFICATE",
    "v1.1.0-certificate, CERTIFICATE",
    "v0.3.1-elliptic-key, KEY",
    "v1.0.0-elliptic-key, KEY",
    "v1.0.1-elliptic-key, KEY",
    "v1.1.0-elliptic-key, KEY",
    "v0.3.1-sigstore, SIGSTORE",
    "v1.0.0-sigstore, SIGSTORE",
    "v1.0.1-sigstore, SIGSTORE",
    "v1.1.0-sigstore, SIGSTORE",
  })
  void everyGoldenParsesAndIsRecognized(String folder, SigningMethod method) throws Exception {
    byte[] json = SignatureTestData.signature(folder);

    BundleInspector.Summary summary = new BundleInspector().inspect(json);

    assertThat(summary.method()).isEqualTo(method);
    assertThat(summary.payloadType()).isEqualTo("application/vnd.in-toto+json");
    String payloadB64 = JSON.readTree(json).at("/dsseEnvelope/payload").textValue();
    assertThat(summary.payload()).isEqualTo(Base64.getDecoder().decode(payloadB64));
    assertThat(parser.parse(json).mediaType()).isEqualTo(SignatureBundle.MEDIA_TYPE_V03);
  }

  @Test
  void oldKeyBundlesHaveNoHintAndNewOnesHaveIt() throws Exception {
    var old = parser.parse(SignatureTestData.signature("v1.0.0-elliptic-key")).verificationMaterial();
    var current = parser.parse(SignatureTestData.signature("v1.1.0-elliptic-key")).verificationMaterial();

    assertThat(old).isEqualTo(new VerificationMaterial.KeyHint(null));
    assertThat(current)
        .isEqualTo(
            new VerificationMaterial.KeyHint("e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e"));
  }

  @Test
  void certificateGoldenCarriesLeafThenIntermediate() throws Exception {
    var material = parser.parse(SignatureTestData.signature("v1.1.0-certificate")).verificationMaterial();

    assertThat(material).isInstanceOfSatisfying(
        VerificationMaterial.CertificateChain.class,
        chain -> {
          assertThat(chain.certificates()).hasSize(2);
          assertThat(chain.leaf().getIssuerX500Principal().getName()).isEqualTo("CN=intermediate-ca");
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"absent", "null", "empty", "string"})
  void keyidMayBeAbsentNullEmptyOrAnyString(String variant) throws Exception {
    byte[] json =
        edit("v1.1.0-elliptic-key", root -> {
          ObjectNode signature = (ObjectNode) root.at("/dsseEnvelope/signatures/0");
          switch (variant) {
            case "absent" -> signature.remove("keyid");
            case "null" -> signature.putNull("keyid");
            case "empty" -> signature.put("keyid", "");
            default -> signature.put("keyid", "some-key");
          }
        });

    assertThat(parser.parse(json).dsseEnvelope().signatures()).hasSize(1);
  }

  @Test
  void missingTlogEntriesIsAccepted() throws Exception {
    byte[] json = edit("v1.1.0-certificate", root -> ((ObjectNode) root.get("verificationMaterial")).remove("tlogEntries"));

    assertThat(parser.parse(json).tlogEntryCount()).isZero();
  }

  @Test
  void wrongMediaTypeFailsWithPythonsMessage() {
    byte[] json =
        edit("v1.1.0-elliptic-key", root -> ((ObjectNode) root).put("mediaType", "application/vnd.dev.sigstore.bundle+json;version=0.2"));

    assertThatThrownBy(() -> parser.parse(json))
        .isInstanceOf(ModelSigningException.class)
        .hasMessage(
            "Invalid sigstore bundle, got media type application/vnd.dev.sigstore.bundle+json;version=0.2 but expected"
                + " application/vnd.dev.sigstore.bundle.v0.3+json");
  }

  @Test
  void malformedJsonFailsOnOneLine() {
    byte[] truncated = java.util.Arrays.copyOf(SignatureTestData.signature("v1.1.0-elliptic-key"), 200);

    assertThatThrownBy(() -> parser.parse(truncated))
        .isInstanceOf(ModelSigningException.class)
        .hasMessageStartingWith("Invalid signature file: not valid JSON (")
        .message()
        .doesNotContain("\n");
    assertThatThrownBy(() -> parser.parse(new byte[0])).hasMessage("Invalid signature file: the file is empty");
    assertThatThrownBy(() -> parser.parse("[1]".getBytes(UTF_8)))
        .hasMessage("Invalid signature file: expected a JSON object, found an array");
    byte[] golden = SignatureTestData.signature("v1.1.0-elliptic-key");
    byte[] twoObjects = (new String(golden, UTF_8) + " {}").getBytes(UTF_8);
    assertThatThrownBy(() -> parser.parse(twoObjects))
        .hasMessage("Invalid signature file: not valid JSON (unexpected content after the bundle object)");
    String duplicated = new String(golden, UTF_8).replaceFirst("\\{", "{\"mediaType\": \"x\", ");
    assertThatThrownBy(() -> parser.parse(duplicated.getBytes(UTF_8)))
        .hasMessageStartingWith("Invalid signature file: not valid JSON (Duplicate field 'mediaType'");
  }

  @Test
  void nonBase64FieldsAreNamed() {
    assertThatThrownBy(() -> parser.parse(edit("v1.1.0-elliptic-key", root ->
            ((ObjectNode) root.at("/dsseEnvelope/signatures/0")).put("sig", "not base64!"))))
        .hasMessage("Invalid signature file: dsseEnvelope.signatures[0].sig is not valid base64");
    assertThatThrownBy(() -> parser.parse(edit("v1.1.0-elliptic-key", root ->
            ((ObjectNode) root.get("dsseEnvelope")).put("payload", "%%%"))))
        .hasMessage("Invalid signature file: dsseEnvelope.payload is not valid base64");
    assertThatThrownBy(() -> parser.parse(edit("v1.1.0-certificate", root ->
            ((ObjectNode) root.at("/verificationMaterial/x509CertificateChain/certificates/1")).put("rawBytes", "AAAA"))))
        .hasMessageStartingWith(
            "Invalid signature file: verificationMaterial.x509CertificateChain.certificates[1].rawBytes is not a DER"
                + " X.509 certificate");
  }

  @Test
  void missingFieldsAreNamed() {
    assertThatThrownBy(() -> parser.parse(edit("v1.1.0-elliptic-key", root -> ((ObjectNode) root).remove("dsseEnvelope"))))
        .hasMessage("Invalid signature file: dsseEnvelope is missing");
    assertThatThrownBy(() -> parser.parse(edit("v1.1.0-elliptic-key", root -> ((ObjectNode) root).remove("mediaType"))))
        .hasMessage("Invalid signature file: mediaType is missing");
    assertThatThrownBy(() -> parser.parse(edit("v1.1.0-elliptic-key", root -> ((ObjectNode) root.get("dsseEnvelope")).remove("payloadType"))))
        .hasMessage("Invalid signature file: dsseEnvelope.payloadType is missing");
    assertThatThrownBy(() -> parser.parse(edit("v1.1.0-elliptic-key", root -> ((ObjectNode) root.at("/dsseEnvelope/signatures/0")).remove("sig"))))
        .hasMessage("Invalid signature file: dsseEnvelope.signatures[0].sig is missing");
    assertThatThrownBy(() -> parser.parse(edit("v1.1.0-elliptic-key", root -> ((ObjectNode) root.get("dsseEnvelope")).putArray("signatures"))))
        .hasMessage("Invalid signature file: dsseEnvelope.signatures must be a non-empty array, found an empty array");
    assertThatThrownBy(() -> parser.parse(edit("v1.1.0-elliptic-key", root -> ((ObjectNode) root).remove("verificationMaterial"))))
        .hasMessage("Invalid signature file: verificationMaterial is missing");
    assertThatThrownBy(() -> parser.parse(edit("v1.1.0-elliptic-key", root -> ((ObjectNode) root.get("dsseEnvelope")).put("payloadType", 3))))
        .hasMessage("Invalid signature file: dsseEnvelope.payloadType must be a string, found a number");
  }

  @Test
  void verificationMaterialMustHoldExactlyOneForm() {
    assertThatThrownBy(() -> parser.parse(edit("v1.1.0-elliptic-key", root ->
            ((ObjectNode) root.get("verificationMaterial")).remove("publicKey"))))
        .hasMessage(
            "Invalid signature file: verificationMaterial must hold exactly one of publicKey, x509CertificateChain or"
                + " certificate, found none");
    assertThatThrownBy(() -> parser.parse(edit("v1.1.0-certificate", root ->
            ((ObjectNode) root.get("verificationMaterial")).putObject("publicKey").put("hint", "ab"))))
        .hasMessageEndingWith("found publicKey and x509CertificateChain");
  }

  @Test
  void messageSignatureBundleIsNotAModelSignature() {
    byte[] json = edit("v1.1.0-elliptic-key", root -> {
      ((ObjectNode) root).remove("dsseEnvelope");
      ((ObjectNode) root).putObject("messageSignature").put("signature", "AAAA");
    });

    assertThatThrownBy(() -> parser.parse(json)).hasMessageContaining("messageSignature, not a dsseEnvelope");
  }

  @Test
  void spacedAndCompactLayoutsParseAlike() throws Exception {
    byte[] compact = SignatureTestData.signature("v1.1.0-elliptic-key");
    byte[] spaced = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(JSON.readTree(compact));

    assertThat(parser.parse(spaced).dsseEnvelope().payload()).isEqualTo(parser.parse(compact).dsseEnvelope().payload());
  }

  static byte[] edit(String folder, Consumer<com.fasterxml.jackson.databind.JsonNode> change) {
    try {
      var root = JSON.readTree(SignatureTestData.signature(folder));
      change.accept(root);
      return JSON.writeValueAsBytes(root);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
