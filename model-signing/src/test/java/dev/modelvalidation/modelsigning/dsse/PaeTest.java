package dev.modelvalidation.modelsigning.dsse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PaeTest {
  private static final String TYPE = "application/vnd.in-toto+json";

  @Test
  void standardPaeHasByteLengthsAndRawPayload() {
    byte[] payload = "{\"a\": \"é\"}".getBytes(UTF_8);

    assertThat(new String(Pae.encode(TYPE, payload), UTF_8))
        .isEqualTo("DSSEv1 28 application/vnd.in-toto+json 11 {\"a\": \"é\"}");
  }

  @Test
  void compatPaeUsesCapitalVAndPythonBytesRepr() {
    byte[] payload = "{\n  \"a\": 1\n}".getBytes(UTF_8);

    assertThat(new String(Pae.encodeCompat(TYPE, payload), UTF_8))
        .isEqualTo("DSSEV1 28 application/vnd.in-toto+json 12 b'{\\n  \"a\": 1\\n}'");
  }

  @Test
  void pythonReprEscapesLikePython() {
    // values checked against CPython: repr(b"...")
    assertThat(Pae.pythonBytesRepr("it's".getBytes(UTF_8))).isEqualTo("b\"it's\"");
    assertThat(Pae.pythonBytesRepr("a'b\"".getBytes(UTF_8))).isEqualTo("b'a\\'b\"'");
    assertThat(Pae.pythonBytesRepr(new byte[] {0, (byte) 0xff, '\\', '\t', '\r', 0x7f}))
        .isEqualTo("b'\\x00\\xff\\\\\\t\\r\\x7f'");
    assertThat(Pae.pythonBytesRepr("é".getBytes(UTF_8))).isEqualTo("b'\\xc3\\xa9'");
    assertThat(Pae.pythonBytesRepr(new byte[0])).isEqualTo("b''");
  }
}
