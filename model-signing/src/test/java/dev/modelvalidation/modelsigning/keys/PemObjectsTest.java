package dev.modelvalidation.modelsigning.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.signature.SignatureTestData;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Public keys and certificates are read without {@link PEMParser} when the PEM is plain; the objects must be the
 * ones {@link PEMParser} gives, and anything unusual must still go through it.
 */
class PemObjectsTest {
  private static List<Object> pemParser(String text) throws Exception {
    List<Object> objects = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        objects.add(o);
      }
    }
    return objects;
  }

  private static List<String> encoded(List<Object> objects) throws Exception {
    List<String> out = new ArrayList<>();
    for (Object o : objects) {
      byte[] der =
          switch (o) {
            case X509CertificateHolder c -> c.getEncoded();
            case PEMKeyPair pair -> pair.getPrivateKeyInfo().getEncoded(); // not plain: read by PEMParser
            default -> ((ASN1Encodable) o).toASN1Primitive().getEncoded();
          };
      out.add(o.getClass().getSimpleName() + ":" + java.util.HexFormat.of().formatHex(der));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "signing-key-pub.pem", "signing-key-cert.pem", "int-ca-cert.pem", "ca-cert.pem", "signing-key.pem"
      })
  void givesWhatPemParserGivesForTheTestKeysAndCertificates(String name) throws Exception {
    String text = Files.readString(SignatureTestData.keyFile(name), StandardCharsets.ISO_8859_1);
    assertThat(encoded(PemObjects.parseAll(text, name))).isEqualTo(encoded(pemParser(text)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"chain", "dashes", "crlf"})
  void chainsStrayDashesAndCrlfLineEndsGiveWhatPemParserGives(String variant) throws Exception {
    String leaf = Files.readString(SignatureTestData.keyFile("signing-key-cert.pem"), StandardCharsets.ISO_8859_1);
    String ca = Files.readString(SignatureTestData.keyFile("ca-cert.pem"), StandardCharsets.ISO_8859_1);
    String text =
        switch (variant) {
          case "chain" -> leaf + "\n" + ca;
          case "dashes" -> "----- a note with dashes -----\n" + leaf;
          default -> (leaf + ca).replace("\n", "\r\n");
        };
    assertThat(encoded(PemObjects.parseAll(text, variant))).hasSize(variant.equals("dashes") ? 1 : 2)
        .isEqualTo(encoded(pemParser(text)));
  }

  /** The fast path is taken for plain files, and declines what it cannot read exactly as PEMParser does. */
  @ParameterizedTest
  @ValueSource(strings = {"plain", "chain-crlf", "nel-before", "nel-between", "unpadded", "extra-padding", "header"})
  void theFastPathDeclinesWhatItCannotReadAsPemParserDoes(String variant) throws Exception {
    String key = Files.readString(SignatureTestData.keyFile("signing-key-pub.pem"), StandardCharsets.ISO_8859_1);
    String block = key.substring(key.indexOf("-----BEGIN"));
    String cert = Files.readString(SignatureTestData.keyFile("ca-cert.pem"), StandardCharsets.ISO_8859_1);
    String certBlock = cert.substring(cert.indexOf("-----BEGIN"));
    String certBody = certBlock.substring(certBlock.indexOf('\n') + 1, certBlock.indexOf("-----END"));
    assertThat(certBody).as("the CA certificate's base64 ends in padding").contains("=");
    String text =
        switch (variant) {
          case "plain" -> key;
          case "chain-crlf" -> (block + certBlock).replace("\n", "\r\n");
          // U+0085 (a 0x85 byte read as ISO-8859-1) is a line break to Java's multiline regex, not to PEM readers
          case "nel-before" -> "junk\u0085" + block;
          case "nel-between" -> "junk\u0085" + block + certBlock;
          case "unpadded" -> certBlock.replace(certBody, certBody.replace("=", ""));
          case "extra-padding" -> certBlock.replace(certBody, certBody + "==\n");
          default -> block.replace("-----\n", "-----\nComment: a header\n\n");
        };
    List<Object> fast = PemObjects.plainKeysAndCertificates(text);
    boolean taken = variant.equals("plain") || variant.equals("chain-crlf");
    assertThat(fast != null).as("fast path taken").isEqualTo(taken);
    if (taken) {
      assertThat(encoded(fast)).isEqualTo(encoded(pemParser(text)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"!", "A"})
  void brokenBase64IsStillReportedAsPemParserReportsIt(String junk) throws Exception {
    String text = Files.readString(SignatureTestData.keyFile("signing-key-pub.pem"), StandardCharsets.ISO_8859_1);
    int body = text.indexOf("-----BEGIN PUBLIC KEY-----\n") + "-----BEGIN PUBLIC KEY-----\n".length();
    String broken = text.substring(0, body + 10) + junk + text.substring(body + 10);
    assertThatThrownBy(() -> PemObjects.parseAll(broken, "key.pem"))
        .isInstanceOf(ModelSigningException.class)
        .hasMessageStartingWith("Cannot parse PEM in key.pem: ");
    assertThatThrownBy(() -> pemParser(broken)).isNotNull();
  }
}
