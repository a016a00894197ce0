package ai.kubernaut.gateway.kube;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a Kubernetes API request does, read from its method and URL the way the API server's own
 * metrics name it: a verb ({@code get}, {@code list}, {@code watch}, {@code create}, {@code patch},
 * {@code update}, {@code delete}) on a plural resource ({@code pods}, {@code remediationrequests}).
 * Discovery requests ({@code /api}, {@code /apis/group/version}, {@code /version}) have the
 * resource {@code discovery}.
 */
public record ApiRequestKind(String verb, String resource) {

  static final String DISCOVERY = "discovery";

  public static ApiRequestKind of(String method, URI uri) {
    List<String> segments =
        Arrays.stream(uri.getRawPath().split("/")).filter(s -> !s.isEmpty()).toList();
    List<String> rest = resourcePath(segments);
    if (rest.isEmpty()) {
      return new ApiRequestKind(method.toLowerCase(Locale.ROOT), DISCOVERY);
    }
    if (rest.getFirst().equals("namespaces") && rest.size() >= 3) {
      rest = rest.subList(2, rest.size());
    }
    boolean named = rest.size() >= 2;
    return new ApiRequestKind(verb(method, named, isWatch(uri)), rest.getFirst());
  }

  /** The segments after {@code /api/v1} or {@code /apis/group/version}; empty for discovery. */
  private static List<String> resourcePath(List<String> segments) {
    if (segments.size() > 2 && segments.getFirst().equals("api")) {
      return segments.subList(2, segments.size());
    }
    if (segments.size() > 3 && segments.getFirst().equals("apis")) {
      return segments.subList(3, segments.size());
    }
    return List.of();
  }

  private static String verb(String method, boolean named, boolean watch) {
    return switch (method.toUpperCase(Locale.ROOT)) {
      case "GET" -> watch ? "watch" : named ? "get" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> method.toLowerCase(Locale.ROOT);
    };
  }

  private static boolean isWatch(URI uri) {
    String query = uri.getRawQuery();
    return query != null && Arrays.asList(query.split("&")).contains("watch=true");
  }
}
