package dev.modelvalidation.modelsigning.keys;

import dev.modelvalidation.modelsigning.ModelSigningException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.openssl.PEMParser;

/**
 * Reads every PEM object of a file with BouncyCastle's {@link PEMParser}. Text before, between and after the
 * {@code -----BEGIN}/{@code -----END} blocks is skipped, as OpenSSL does: the test key files start with a certtool
 * dump.
 */
final class PemObjects {
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
