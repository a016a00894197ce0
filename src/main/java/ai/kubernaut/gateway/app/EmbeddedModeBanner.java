package ai.kubernaut.gateway.app;

import ai.kubernaut.gateway.embedded.EmbeddedCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells the person who started embedded mode how to use it. */
final class EmbeddedModeBanner {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedModeBanner.class);

  private EmbeddedModeBanner() {}

  static void print(EmbeddedCluster cluster, GatewayApp app) {
    log.info(
        "EMBEDDED MODE: Kubernetes API at {}, kubeconfig {}",
        cluster.apiUrl(),
        cluster.kubeconfig());
    log.info(
        "EMBEDDED MODE: namespace demo (kubernaut.ai/managed=true) holds Deployment checkout -> ReplicaSet -> Pod");
    log.info(
        "try: curl -s -H 'Content-Type: application/json' -d '{}' http://localhost:{}/api/v1/signals/prometheus",
        sampleAlert(),
        app.apiPort());
    log.info("then: {}", cluster.kubectlHint());
  }

  static String sampleAlert() {
    return "{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"KubePodCrashLooping\","
        + "\"severity\":\"critical\",\"namespace\":\"demo\",\"pod\":\"checkout-7d9f8b6c5-x2k4p\"},"
        + "\"annotations\":{\"summary\":\"checkout is crash looping\"},"
        + "\"startsAt\":\"2026-01-01T00:00:00Z\"}]}";
  }
}
