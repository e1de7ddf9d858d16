package dev.modelvalidation.modelsigning.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelvalidation.modelsigning.ModelSigningException;
import java.io.IOException;
import java.util.Base64;

/**
 * An OIDC identity token (JWT) as handed to Fulcio. The claims are read unverified: Fulcio verifies the token, and
 * the claims only name the identity in the certificate request.
 *
 * @param raw the compact JWT
 * @param issuer the {@code iss} claim
 * @param identity the {@code email} claim if present, else {@code sub}
 */
record IdentityToken(String raw, String issuer, String identity) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static IdentityToken parse(String raw) throws ModelSigningException {
    String token = raw == null ? "" : raw.strip();
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[1].isEmpty()) {
      throw new ModelSigningException("Invalid identity token: expected a JWT (three dot-separated parts)");
    }
    JsonNode claims;
    try {
      claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    } catch (IllegalArgumentException | IOException e) {
      throw new ModelSigningException("Invalid identity token: its claims are not base64url JSON");
    }
    if (claims == null || !claims.isObject()) {
      throw new ModelSigningException("Invalid identity token: its claims are not a JSON object");
    }
    String issuer = claims.path("iss").asText("");
    String identity = claims.path("email").asText("");
    if (identity.isEmpty()) {
      identity = claims.path("sub").asText("");
    }
    if (issuer.isEmpty() || identity.isEmpty()) {
      throw new ModelSigningException("Invalid identity token: it lacks the 'iss' claim or both 'email' and 'sub'");
    }
    return new IdentityToken(token, issuer, identity);
  }

  @Override
  public String toString() {
    return "IdentityToken[issuer=" + issuer + ", identity=" + identity + "]";
  }
}
