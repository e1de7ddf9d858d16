package dev.modelvalidation.modelsigning.dsse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * DSSE pre-authentication encoding (§7): the bytes an envelope signature covers.
 *
 * <ul>
 *   <li>{@link #encode}: the DSSE v1 standard, {@code "DSSEv1" SP len(type) SP type SP len(payload) SP payload};
 *   <li>{@link #encodeCompat}: the encoding model_signing v0.2.0 used by mistake, {@code "DSSEV1"} (capital V) and
 *       the payload written as Python's {@code repr(bytes)}, needed to verify v0.2.0 signatures.
 * </ul>
 */
public final class Pae {
  private Pae() {}

  /** The standard DSSE v1 PAE; lengths are byte counts. */
  public static byte[] encode(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(type);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /** The v0.2.0 compat PAE: {@code UTF-8("DSSEV1 " + len(type) + " " + type + " " + len(payload) + " " + repr(payload))}. */
  public static byte[] encodeCompat(String payloadType, byte[] payload) {
    String text =
        "DSSEV1 "
            + payloadType.codePointCount(0, payloadType.length())
            + " "
            + payloadType
            + " "
            + payload.length
            + " "
            + pythonBytesRepr(payload);
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Python's {@code repr(bytes)}: {@code b'…'}, or {@code b"…"} when the bytes hold {@code '} and no {@code "};
   * the quote and backslash escaped, {@code \t \n \r}, printable ASCII literally, anything else {@code \xNN}.
   */
  public static String pythonBytesRepr(byte[] bytes) {
    boolean hasSingle = false;
    boolean hasDouble = false;
    for (byte b : bytes) {
      hasSingle |= b == '\'';
      hasDouble |= b == '"';
    }
    char quote = hasSingle && !hasDouble ? '"' : '\'';
    StringBuilder out = new StringBuilder(bytes.length + 3).append('b').append(quote);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c == quote || c == '\\') {
        out.append('\\').append((char) c);
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c >= 0x20 && c < 0x7f) {
        out.append((char) c);
      } else {
        out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
      }
    }
    return out.append(quote).toString();
  }
}
