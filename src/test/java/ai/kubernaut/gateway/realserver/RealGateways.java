package ai.kubernaut.gateway.realserver;

import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.RealApiServer;
import java.nio.file.Path;
import java.util.Map;

/** Gateways on the real API server, each as the gateway identity the deploy RBAC binds. */
final class RealGateways {

  private RealGateways() {}

  /** A gateway that keeps its RemediationRequests in {@code controllerNamespace}. */
  static GatewayHarness start(
      RealApiServer server, String controllerNamespace, Path dir, String extraYaml) {
    return GatewayHarness.start(
        server.clientAs(RealApiServer.GATEWAY_USER), controllerNamespace, dir, extraYaml, Map.of());
  }
}
