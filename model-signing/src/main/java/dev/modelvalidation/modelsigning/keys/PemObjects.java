package dev.modelvalidation.modelsigning.keys;

import dev.modelvalidation.modelsigning.ModelSigningException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;

/**
 * Reads every PEM object of a file with BouncyCastle's {@link PEMParser}. Text before, between and after the
 * {@code -----BEGIN}/{@code -----END} blocks is skipped, as OpenSSL does: the test key files start with a certtool
 * dump.
 */
final class PemObjects {
  /**
   * A block whose body is nothing but base64 lines: no headers, no other characters. Lines end at {@code \n} only
   * ({@code d}: Java's multiline mode would also break lines at U+0085, which a key file read as ISO-8859-1 may hold,
   * while BouncyCastle and OpenSSL do not), with an optional {@code \r} before it.
   */
  private static final Pattern PLAIN_BLOCK =
      Pattern.compile(
          "(?md)^-----BEGIN (PUBLIC KEY|CERTIFICATE)-----\\r?\\n([A-Za-z0-9+/=\\r\\n]+?)^-----END \\1-----\\r?$");

  /** Canonical base64: whole 4-character groups, padding only at the end (BouncyCastle refuses anything else). */
  private static final Pattern STRICT_BASE64 =
      Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");

  private static final Pattern EXCEPTION_NAME =
      Pattern.compile("\\b(?:[a-z_][\\w]*\\.)+[A-Z][\\w$]*(?:Exception|Error)\\b:?\\s*");

  private PemObjects() {}

  static String readText(Path file, String what) throws ModelSigningException {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new ModelSigningException("Cannot read " + what + " " + file + ": no such file");
    } catch (IOException e) {
      throw new ModelSigningException("Cannot read " + what + " " + file + ": " + e.getMessage(), e);
    }
  }

  /** All PEM objects in the text, parsed by type ({@code SubjectPublicKeyInfo}, {@code PEMKeyPair}, …). */
  static List<Object> parseAll(String pemText, String source) throws ModelSigningException {
    List<Object> plain = plainKeysAndCertificates(pemText);
    if (plain != null) {
      return plain;
    }
    List<Object> objects = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pemText))) {
      Object next;
      while ((next = parser.readObject()) != null) {
        objects.add(next);
      }
    } catch (IOException | RuntimeException e) {
      throw new ModelSigningException(
          "Cannot parse PEM in " + source + ": " + oneLine(e.getMessage() != null ? e.getMessage() : e.toString()),
          e);
    }
    return objects;
  }

  /**
   * The common case without {@link PEMParser}: only {@code PUBLIC KEY} and {@code CERTIFICATE} blocks, each with
   * clean base64 and DER that parses, giving the same objects {@link PEMParser} gives for them. Null for anything
   * else (other block types, headers, bad base64 or DER, stray {@code -----} lines), which {@link PEMParser} then
   * reads and reports on as before. Why: {@link PEMParser}'s reader sets up a {@code java.util.logging} logger, whose
   * first use looks for logging back-ends in every jar of the class path (about 20 ms of a 250 ms {@code verify}).
   */
  static List<Object> plainKeysAndCertificates(String pemText) {
    List<Object> objects = new ArrayList<>();
    Matcher block = PLAIN_BLOCK.matcher(pemText);
    int blocks = 0;
    while (block.find()) {
      blocks++;
      String base64 = block.group(2).replace("\r", "").replace("\n", "");
      if (!STRICT_BASE64.matcher(base64).matches()) {
        return null;
      }
      byte[] der;
      try {
        der = Base64.getDecoder().decode(base64);
        objects.add(
            block.group(1).equals("PUBLIC KEY")
                ? SubjectPublicKeyInfo.getInstance(der)
                : new X509CertificateHolder(der));
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }
    // every "-----" in the text must belong to a block found above, else PEMParser decides what it is
    int dashes = 0;
    for (int i = pemText.indexOf("-----"); i >= 0; i = pemText.indexOf("-----", i + 5)) {
      dashes++;
    }
    return blocks > 0 && dashes == 4 * blocks ? objects : null;
  }

  /** The message on one line, without the exception class names BouncyCastle puts into its messages. */
  static String oneLine(String message) {
    return EXCEPTION_NAME.matcher(message).replaceAll("").replaceAll("\\s+", " ").trim();
  }

  /** A short human name for a parsed PEM object's type, for error messages. */
  static String describe(Object pemObject) {
    return switch (pemObject.getClass().getSimpleName()) {
      case "SubjectPublicKeyInfo" -> "a public key";
      case "PEMKeyPair", "PrivateKeyInfo" -> "a private key";
      case "PKCS8EncryptedPrivateKeyInfo", "PEMEncryptedKeyPair" -> "an encrypted private key";
      case "X509CertificateHolder" -> "a certificate";
      default -> "a " + pemObject.getClass().getSimpleName();
    };
  }
}
