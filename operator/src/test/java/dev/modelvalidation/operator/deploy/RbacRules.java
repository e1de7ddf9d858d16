package dev.modelvalidation.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of RBAC Roles in {@code config/}, and a check that requests a component made (recorded by the fabric8
 * mock server) are all granted by them: the Roles must be no broader than used, and not too narrow either.
 */
public final class RbacRules {

  private static final Pattern RESOURCE_PATH =
      Pattern.compile("^/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/[^/]+)?/([^/]+)(?:/([^/]+))?(?:/([^/]+))?$");

  private final List<JsonNode> rules;

  private RbacRules(List<JsonNode> rules) {
    this.rules = List.copyOf(rules);
  }

  /** The rules of every Role and ClusterRole in these files (relative to the repository root). */
  public static RbacRules of(String... files) {
    Path root = Path.of("..").toAbsolutePath().normalize();
    YAMLMapper yaml = new YAMLMapper();
    List<JsonNode> rules = new ArrayList<>();
    for (String file : files) {
      try (var values = yaml.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(root.resolve(file)))) {
        while (values.hasNext()) {
          JsonNode doc = values.next();
          if (doc != null && doc.path("kind").asText().endsWith("Role")) {
            doc.path("rules").forEach(rules::add);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new RbacRules(rules);
  }

  /** The verbs granted on {@code group/resource} for the object {@code name} (null: a collection request). */
  public boolean allows(String group, String resource, String name, String verb) {
    for (JsonNode rule : rules) {
      if (texts(rule.path("apiGroups")).contains(group)
          && texts(rule.path("resources")).contains(resource)
          && texts(rule.path("verbs")).contains(verb)
          && (texts(rule.path("resourceNames")).isEmpty()
              || (name != null && texts(rule.path("resourceNames")).contains(name)))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Takes every request the mock server recorded and checks that those on {@code resource} are granted; returns the
   * verbs they used.
   */
  public List<String> assertGranted(KubernetesMockServer server, String resource) throws InterruptedException {
    List<String> used = new ArrayList<>();
    RecordedRequest request;
    while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      URI uri = URI.create(request.getPath());
      Matcher m = RESOURCE_PATH.matcher(uri.getPath());
      if (!m.matches() || !resource.equals(m.group(2)) || m.group(4) != null) {
        continue;
      }
      String group = m.group(1) == null ? "" : m.group(1);
      String name = m.group(3);
      boolean watch = uri.getQuery() != null && uri.getQuery().contains("watch=true");
      String verb =
          switch (request.getMethod()) {
            case "GET" -> watch ? "watch" : name == null ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name == null ? "deletecollection" : "delete";
            default -> request.getMethod();
          };
      assertThat(allows(group, resource, name, verb))
          .as("%s %s (%s %s) is granted", request.getMethod(), request.getPath(), verb, resource)
          .isTrue();
      used.add(verb);
    }
    return used;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
