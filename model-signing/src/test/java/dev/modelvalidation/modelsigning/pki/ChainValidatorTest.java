package dev.modelvalidation.modelsigning.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelvalidation.modelsigning.VerificationException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PolicyConstraints;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v1CertificateBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v1CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * Path building and validation as OpenSSL (so Python's certificate method) does it, for the root as for any CA: each
 * case below is one that {@code openssl verify} with the root as CA file rejects or accepts the same way.
 */
class ChainValidatorTest {
  private static final AtomicLong SERIAL = new AtomicLong(5000);
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  /** How a test certificate is made: its CA facts, optional extensions, its issuer. */
  private record Spec(
      String subject,
      Boolean ca, // null: no basicConstraints extension
      Integer pathLength,
      Integer keyUsage, // null: no KeyUsage extension
      NameConstraints nameConstraints) {
    static Spec ca(String subject) {
      return new Spec(subject, true, null, KeyUsage.keyCertSign | KeyUsage.cRLSign, null);
    }

    static Spec leaf(String subject) {
      return new Spec(subject, false, null, KeyUsage.digitalSignature, null);
    }

    Spec withCa(Boolean value) {
      return new Spec(subject, value, pathLength, keyUsage, nameConstraints);
    }

    Spec withPathLength(int value) {
      return new Spec(subject, ca, value, keyUsage, nameConstraints);
    }

    Spec withKeyUsage(Integer value) {
      return new Spec(subject, ca, pathLength, value, nameConstraints);
    }

    Spec withNameConstraints(NameConstraints value) {
      return new Spec(subject, ca, pathLength, keyUsage, value);
    }
  }

  private record Entity(KeyPair keys, X509Certificate certificate) {}

  private static KeyPair keys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  /** Self-signed when {@code issuer} is null. */
  private static Entity issue(Spec spec, Entity issuer) throws Exception {
    return issue(spec, issuer, keys());
  }

  private static Entity issue(Spec spec, Entity issuer, KeyPair keys) throws Exception {
    return issue(spec, issuer, keys, NOW.minus(3650, ChronoUnit.DAYS), NOW.plus(365, ChronoUnit.DAYS));
  }

  private static Entity issue(Spec spec, Entity issuer, KeyPair keys, Instant notBefore, Instant notAfter)
      throws Exception {
    return issue(spec, issuer, keys, notBefore, notAfter, "SHA256withECDSA");
  }

  private static Entity issue(
      Spec spec, Entity issuer, KeyPair keys, Instant notBefore, Instant notAfter, String algorithm)
      throws Exception {
    X500Name subject = new X500Name("CN=" + spec.subject());
    X500Name issuerName =
        issuer == null
            ? subject
            : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuerName,
            serial(),
            Date.from(notBefore),
            Date.from(notAfter),
            subject,
            keys.getPublic());
    if (spec.ca() != null) {
      builder.addExtension(
          Extension.basicConstraints,
          true,
          spec.ca() && spec.pathLength() != null
              ? new BasicConstraints(spec.pathLength())
              : new BasicConstraints(spec.ca()));
    }
    if (spec.keyUsage() != null) {
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(spec.keyUsage()));
    }
    if (spec.nameConstraints() != null) {
      builder.addExtension(Extension.nameConstraints, true, spec.nameConstraints());
    }
    if (Boolean.FALSE.equals(spec.ca())) {
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
    }
    var signingKey = issuer == null ? keys.getPrivate() : issuer.keys().getPrivate();
    X509Certificate certificate =
        new JcaX509CertificateConverter()
            .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signingKey)));
    return new Entity(keys, certificate);
  }

  /** Validity of the hand-built roots: around the issued certificates' default (ten years ago to a year ahead). */
  private static final Date ROOT_NOT_BEFORE = Date.from(NOW.minus(3660, ChronoUnit.DAYS));

  private static final Date ROOT_NOT_AFTER = Date.from(NOW.plus(400, ChronoUnit.DAYS));

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIAL.incrementAndGet());
  }

  /** A certificate built by {@code build} and signed with {@code keys}' own private key. */
  private static Entity selfSigned(KeyPair keys, String algorithm, Function<ContentSigner, X509CertificateHolder> build)
      throws Exception {
    ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(keys.getPrivate());
    return new Entity(keys, new JcaX509CertificateConverter().getCertificate(build.apply(signer)));
  }

  private static List<X509Certificate> validate(Entity leaf, List<Entity> trusted, List<Entity> untrusted)
      throws VerificationException {
    return new ChainValidator(new TrustStore(certificates(trusted)))
        .validate(leaf.certificate(), certificates(untrusted));
  }

  private static List<X509Certificate> certificates(List<Entity> entities) {
    return entities.stream().map(Entity::certificate).toList();
  }

  private static NameConstraints excluding(String commonName) {
    return new NameConstraints(
        null,
        new GeneralSubtree[] {
          new GeneralSubtree(new GeneralName(new X500Name("CN=" + commonName)))
        });
  }

  @Test
  void aProperRootIntermediateAndLeafVerify() throws Exception {
    Entity root = issue(Spec.ca("root"), null);
    Entity intermediate = issue(Spec.ca("intermediate"), root);
    Entity leaf = issue(Spec.leaf("leaf"), intermediate);
    assertThat(validate(leaf, List.of(root), List.of(intermediate)))
        .containsExactly(leaf.certificate(), intermediate.certificate(), root.certificate());
  }

  @Test
  void aRootThatSaysItIsNoCaCannotIssue() throws Exception {
    Entity root = issue(Spec.ca("root").withCa(false), null);
    Entity intermediate = issue(Spec.ca("intermediate"), root);
    Entity leaf = issue(Spec.leaf("leaf"), intermediate);
    assertThatThrownBy(() -> validate(leaf, List.of(root), List.of(intermediate)))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("the root certificate subject 'CN=root'")
        .hasMessageContaining("is not a CA (basicConstraints CA:FALSE)");
  }

  @Test
  void aVersion3RootWithoutBasicConstraintsIssuesOnlyWithKeyCertSignAsWithOpenSsl() throws Exception {
    Entity neither = issue(Spec.ca("root").withCa(null).withKeyUsage(null), null);
    Entity leafOfNeither = issue(Spec.leaf("leaf"), neither);
    assertThatThrownBy(() -> validate(leafOfNeither, List.of(neither), List.of()))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("is not a CA (no basicConstraints, no KeyUsage keyCertSign)");

    // OpenSSL's check_ca answers 4 ("KeyUsage with keyCertSign, tolerated") and accepts it as the last certificate
    Entity keyCertSignOnly = issue(Spec.ca("root").withCa(null), null);
    Entity leaf = issue(Spec.leaf("leaf"), keyCertSignOnly);
    assertThat(validate(leaf, List.of(keyCertSignOnly), List.of())).hasSize(2);
  }

  @Test
  void aVersion1SelfSignedRootStillIssuesAsWithOpenSsl() throws Exception {
    KeyPair rootKeys = keys();
    X500Name rootName = new X500Name("CN=v1 root");
    X509v1CertificateBuilder v1 =
        new JcaX509v1CertificateBuilder(
            rootName, serial(), ROOT_NOT_BEFORE, ROOT_NOT_AFTER, rootName, rootKeys.getPublic());
    Entity root = selfSigned(rootKeys, "SHA256withECDSA", v1::build);
    Entity leaf = issue(Spec.leaf("leaf"), root);
    assertThat(validate(leaf, List.of(root), List.of())).hasSize(2);
  }

  @Test
  void aRootKeyUsageWithoutKeyCertSignCannotIssue() throws Exception {
    Entity root = issue(Spec.ca("root").withKeyUsage(KeyUsage.cRLSign | KeyUsage.digitalSignature), null);
    Entity leaf = issue(Spec.leaf("leaf"), root);
    assertThatThrownBy(() -> validate(leaf, List.of(root), List.of()))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("may not sign certificates (its KeyUsage lacks keyCertSign)");
  }

  @Test
  void theRootsPathLengthLimitsTheCasBelowIt() throws Exception {
    Entity root = issue(Spec.ca("root").withPathLength(0), null);
    Entity intermediate = issue(Spec.ca("intermediate"), root);
    Entity leafBelowIntermediate = issue(Spec.leaf("leaf"), intermediate);
    assertThatThrownBy(() -> validate(leafBelowIntermediate, List.of(root), List.of(intermediate)))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("allows 0 intermediate CA(s) below it (pathLenConstraint), the path has 1");

    Entity leafOfRoot = issue(Spec.leaf("leaf"), root);
    assertThat(validate(leafOfRoot, List.of(root), List.of())).hasSize(2);

    Entity roomyRoot = issue(Spec.ca("roomy root").withPathLength(1), null);
    Entity roomyIntermediate = issue(Spec.ca("roomy intermediate"), roomyRoot);
    Entity roomyLeaf = issue(Spec.leaf("leaf"), roomyIntermediate);
    assertThat(validate(roomyLeaf, List.of(roomyRoot), List.of(roomyIntermediate))).hasSize(3);
  }

  @Test
  void theRootsNameConstraintsBindTheCertificatesBelowIt() throws Exception {
    Entity root = issue(Spec.ca("root").withNameConstraints(excluding("intermediate")), null);
    Entity intermediate = issue(Spec.ca("intermediate"), root);
    Entity leaf = issue(Spec.leaf("leaf"), intermediate);
    assertThatThrownBy(() -> validate(leaf, List.of(root), List.of(intermediate)))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("name constraints");

    Entity other = issue(Spec.ca("other intermediate"), root);
    Entity otherLeaf = issue(Spec.leaf("leaf"), other);
    assertThat(validate(otherLeaf, List.of(root), List.of(other))).hasSize(3);
  }

  @Test
  void aRootWithACriticalExtensionNobodyUnderstandsCannotIssue() throws Exception {
    KeyPair rootKeys = keys();
    X500Name rootName = new X500Name("CN=root");
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            rootName, serial(), ROOT_NOT_BEFORE, ROOT_NOT_AFTER, rootName, rootKeys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(
        new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), true, org.bouncycastle.asn1.DERNull.INSTANCE);
    Entity root = selfSigned(rootKeys, "SHA256withECDSA", builder::build);
    Entity leaf = issue(Spec.leaf("leaf"), root);
    assertThatThrownBy(() -> validate(leaf, List.of(root), List.of()))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("has critical extension(s) not understood: 1.3.6.1.4.1.99999.1");
  }

  @Test
  void aCrossSignedIntermediateInTheBundleDoesNotHideTheTrustedOne() throws Exception {
    Entity root = issue(Spec.ca("root"), null);
    Entity otherRoot = issue(Spec.ca("other root"), null);
    KeyPair intermediateKeys = keys();
    Entity trustedIntermediate = issue(Spec.ca("intermediate"), root, intermediateKeys);
    Entity crossSigned = issue(Spec.ca("intermediate"), otherRoot, intermediateKeys);
    Entity leaf = issue(Spec.leaf("leaf"), trustedIntermediate);

    // trust store: the root and the intermediate it signed; bundle: the same intermediate under an untrusted root
    assertThat(validate(leaf, List.of(root, trustedIntermediate), List.of(crossSigned)))
        .containsExactly(leaf.certificate(), trustedIntermediate.certificate(), root.certificate());
    // the bundle's cross-signed copy alone leads nowhere trusted: a dead end is backed out of, then reported
    assertThatThrownBy(() -> validate(leaf, List.of(root), List.of(crossSigned)))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("unable to get issuer certificate 'CN=other root'");
  }

  @Test
  void aBundleOfManyMutuallyIssuedCertificatesStopsAtTheSignatureCheckBudget() throws Exception {
    Entity root = issue(Spec.ca("root"), null);
    KeyPair loopKeys = keys();
    List<Entity> loop = new ArrayList<>();
    Entity first = issue(Spec.ca("loop"), null, loopKeys); // self-issued, same name and key: each verifies the next
    for (int i = 0; i < 40; i++) {
      loop.add(issue(Spec.ca("loop"), first, loopKeys));
    }
    Entity leaf = issue(Spec.leaf("leaf"), first);
    assertThatThrownBy(() -> validate(leaf, List.of(root), loop))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("too many candidate issuers to try (more than 1000 signature checks)");
  }

  @Test
  void aPathPastTheDepthLimitDoesNotHideAShortOneThroughTheSameCertificate() throws Exception {
    Entity root = issue(Spec.ca("R"), null);
    Entity y = issue(Spec.ca("Y"), root);
    Entity x = issue(Spec.ca("X"), y);
    KeyPair aKeys = keys();
    Entity previous = x; // a long way: A (long) <- B1 <- ... <- B12 <- X
    List<Entity> longWay = new ArrayList<>();
    for (int i = 12; i >= 1; i--) {
      previous = issue(Spec.ca("B" + i), previous);
      longWay.add(previous);
    }
    Entity aLong = issue(Spec.ca("A"), previous, aKeys);
    Entity aShort = issue(Spec.ca("A"), x, aKeys);
    Entity leaf = issue(Spec.leaf("leaf"), aShort);
    List<Entity> bundle = new ArrayList<>(List.of(aLong));
    bundle.addAll(longWay);
    bundle.addAll(List.of(x, y, aShort));
    assertThat(validate(leaf, List.of(root), bundle))
        .containsExactly(
            leaf.certificate(), aShort.certificate(), x.certificate(), y.certificate(), root.certificate());
  }

  @Test
  void aValidCopyOfAReissuedCaIsPreferredToAnExpiredOne() throws Exception {
    KeyPair rootKeys = keys();
    Entity expiredRoot = issue(Spec.ca("root"), null, rootKeys, NOW.minus(4000, ChronoUnit.DAYS), NOW.minus(3700, ChronoUnit.DAYS));
    Entity root = issue(Spec.ca("root"), null, rootKeys);
    KeyPair intermediateKeys = keys();
    Entity expiredIntermediate =
        issue(Spec.ca("intermediate"), root, intermediateKeys, NOW.minus(4000, ChronoUnit.DAYS), NOW.minus(3700, ChronoUnit.DAYS));
    Entity intermediate = issue(Spec.ca("intermediate"), root, intermediateKeys);
    Entity leaf = issue(Spec.leaf("leaf"), intermediate);

    assertThat(validate(leaf, List.of(expiredRoot, root), List.of(expiredIntermediate, intermediate)))
        .containsExactly(leaf.certificate(), intermediate.certificate(), root.certificate());
  }

  @Test
  void theRootsOwnSignatureAlgorithmAndPolicyConstraintsAreNotCheckedAsWithOpenSsl() throws Exception {
    // OpenSSL checks neither a trust anchor's self-signature nor, by default, certificate policies
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair rootKeys = rsa.generateKeyPair();
    X500Name rootName = new X500Name("CN=md5 root");
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            rootName, serial(), ROOT_NOT_BEFORE, ROOT_NOT_AFTER, rootName, rootKeys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
    builder.addExtension(Extension.policyConstraints, true, new PolicyConstraints(BigInteger.ZERO, null));
    Entity root = selfSigned(rootKeys, "MD5withRSA", builder::build);
    Entity leaf = issue(Spec.leaf("leaf"), root, keys(), NOW.minus(3650, ChronoUnit.DAYS), NOW.plus(1, ChronoUnit.DAYS), "SHA256withRSA");
    assertThat(validate(leaf, List.of(root), List.of())).hasSize(2);
  }
}
