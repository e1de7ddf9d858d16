package dev.modelvalidation.modelsigning.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelvalidation.modelsigning.ModelSigningException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Finds an OIDC identity token for Sigstore in the CI environment, like sigstore-python's
 * {@code detect_credential}: an explicit {@code SIGSTORE_ID_TOKEN} (GitLab CI, Buildkite and others export one),
 * or GitHub Actions' token endpoint ({@code ACTIONS_ID_TOKEN_REQUEST_URL} + {@code _TOKEN}, audience
 * {@code sigstore}).
 */
public final class AmbientCredentials {
  private static final String AUDIENCE = "sigstore";
  private final Map<String, String> environment;
  private final HttpClient http;

  private AmbientCredentials(Map<String, String> environment, HttpClient http) {
    this.environment = Map.copyOf(environment);
    this.http = http;
  }

  public static AmbientCredentials fromEnvironment(Map<String, String> environment) {
    return new AmbientCredentials(
        environment, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
  }

  /** The token, if this environment provides one. */
  public Optional<String> detect() throws ModelSigningException {
    String explicit = environment.get("SIGSTORE_ID_TOKEN");
    if (explicit != null && !explicit.isBlank()) {
      return Optional.of(explicit.strip());
    }
    String url = environment.get("ACTIONS_ID_TOKEN_REQUEST_URL");
    String bearer = environment.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
    if (url != null && bearer != null) {
      return Optional.of(fromGitHubActions(url, bearer));
    }
    return Optional.empty();
  }

  private String fromGitHubActions(String url, String bearer) throws ModelSigningException {
    String separator = url.contains("?") ? "&" : "?";
    URI uri = URI.create(url + separator + "audience=" + URLEncoder.encode(AUDIENCE, StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .header("Authorization", "bearer " + bearer)
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new ModelSigningException(
            "GitHub Actions did not issue an identity token (HTTP " + response.statusCode()
                + "); does the workflow have `permissions: id-token: write`?");
      }
      JsonNode value = new ObjectMapper().readTree(response.body()).get("value");
      if (value == null || !value.isTextual()) {
        throw new ModelSigningException("GitHub Actions' token response has no \"value\"");
      }
      return value.asText();
    } catch (IOException e) {
      throw new ModelSigningException("cannot fetch the GitHub Actions identity token: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelSigningException("interrupted while fetching the GitHub Actions identity token", e);
    }
  }
}
