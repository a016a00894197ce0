package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.security.IssuerKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;

/**
 * Reads the API server's service account issuer discovery: the issuer from {@code
 * /.well-known/openid-configuration} and its keys from {@code /openid/v1/jwks}, both served by the
 * API server itself (the document's {@code jwks_uri} may name an address outside the cluster). The
 * default ClusterRoleBinding {@code system:service-account-issuer-discovery} lets every service
 * account read them.
 */
public final class ServiceAccountIssuerDiscovery implements IssuerKeys.Source {

  static final String CONFIGURATION = ".well-known/openid-configuration";
  static final String KEYS = "openid/v1/jwks";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;

  public ServiceAccountIssuerDiscovery(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public IssuerKeys.Documents fetch() throws IOException {
    String base = client.getMasterUrl().toString();
    if (!base.endsWith("/")) {
      base += "/";
    }
    try {
      String configuration = client.raw(base + CONFIGURATION);
      String keys = client.raw(base + KEYS);
      if (configuration == null || keys == null) {
        throw new IOException("the API server does not serve service account issuer discovery");
      }
      JsonNode issuer = JSON.readTree(configuration).path("issuer");
      if (!issuer.isTextual()) {
        throw new IOException("the issuer discovery document names no issuer");
      }
      return new IssuerKeys.Documents(issuer.asText(), keys);
    } catch (KubernetesClientException e) {
      throw new IOException("reading service account issuer discovery failed: HTTP " + e.getCode());
    }
  }
}
