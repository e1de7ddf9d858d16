package dev.modelvalidation.modelsigning.sigstore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * The signer identity a Fulcio certificate carries: its SAN values (email, URI, or the Fulcio otherName
 * {@code 1.3.6.1.4.1.57264.1.7}) and its OIDC issuer ({@code 1.3.6.1.4.1.57264.1.8} DER UTF8String, or the
 * legacy {@code 1.3.6.1.4.1.57264.1.1} raw bytes).
 *
 * @param sans every SAN value, in certificate order
 * @param issuerV1 the legacy issuer extension value, if present
 * @param issuerV2 the v2 issuer extension value, if present
 */
record FulcioIdentity(List<String> sans, Optional<String> issuerV1, Optional<String> issuerV2) {
  static final String OID_ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";
  static final String OID_ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";
  static final String OID_OTHERNAME_SAN = "1.3.6.1.4.1.57264.1.7";

  FulcioIdentity {
    sans = List.copyOf(sans);
  }

  static FulcioIdentity of(X509Certificate cert) throws IOException {
    List<String> sans = new ArrayList<>();
    byte[] sanExtension = cert.getExtensionValue(Extension.subjectAlternativeName.getId());
    if (sanExtension != null) {
      GeneralNames names = GeneralNames.getInstance(ASN1OctetString.getInstance(sanExtension).getOctets());
      for (GeneralName name : names.getNames()) {
        switch (name.getTagNo()) {
          case GeneralName.rfc822Name, GeneralName.uniformResourceIdentifier ->
              sans.add(((ASN1String) name.getName()).getString());
          case GeneralName.otherName -> otherName(name.getName()).ifPresent(sans::add);
          default -> {
            // as in sigstore-python, DNS names, IP addresses and directory names never identify a signer
          }
        }
      }
    }
    Optional<String> v1 = extension(cert, OID_ISSUER_V1).map(raw -> new String(raw, StandardCharsets.UTF_8));
    Optional<String> v2 = Optional.empty();
    Optional<byte[]> v2Raw = extension(cert, OID_ISSUER_V2);
    if (v2Raw.isPresent()) {
      ASN1Primitive value = ASN1Primitive.fromByteArray(v2Raw.get());
      if (value instanceof ASN1String s) {
        v2 = Optional.of(s.getString());
      }
    }
    return new FulcioIdentity(sans, v1, v2);
  }

  private static Optional<String> otherName(ASN1Encodable encodable) {
    ASN1Sequence seq = ASN1Sequence.getInstance(encodable);
    if (seq.size() != 2 || !OID_OTHERNAME_SAN.equals(ASN1ObjectIdentifier.getInstance(seq.getObjectAt(0)).getId())) {
      return Optional.empty();
    }
    ASN1Encodable value = ASN1TaggedObject.getInstance(seq.getObjectAt(1)).getExplicitBaseObject();
    return value instanceof ASN1String s ? Optional.of(s.getString()) : Optional.empty();
  }

  private static Optional<byte[]> extension(X509Certificate cert, String oid) {
    byte[] der = cert.getExtensionValue(oid);
    return der == null ? Optional.empty() : Optional.of(ASN1OctetString.getInstance(der).getOctets());
  }

  /** The issuer to compare and show: the v2 extension when present, else the legacy one. */
  Optional<String> issuer() {
    return issuerV2.isPresent() ? issuerV2 : issuerV1;
  }

  /** True if every issuer extension present equals {@code expected}, and at least one is present. */
  boolean issuerMatches(String expected) {
    return issuer().isPresent()
        && issuerV1.map(expected::equals).orElse(true)
        && issuerV2.map(expected::equals).orElse(true);
  }

  String describeIssuer() {
    if (issuerV1.isPresent() && issuerV2.isPresent() && !issuerV1.equals(issuerV2)) {
      return "'" + issuerV2.get() + "' (" + OID_ISSUER_V2 + ") and '" + issuerV1.get() + "' (" + OID_ISSUER_V1 + ")";
    }
    return issuer().map(i -> "'" + i + "'").orElse("none (no OIDC issuer extension)");
  }

  String describeSans() {
    return sans.isEmpty() ? "none" : "'" + String.join("', '", sans) + "'";
  }
}
