package ai.kubernaut.gateway.kube.http;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;

/**
 * Builds fabric8 HTTP clients that do their I/O on the calling thread. Watches then run as long
 * HTTP GETs (fabric8's HTTP watch), each read by a virtual thread of its own; WebSocket upgrades
 * (exec, attach, port forwarding) are not offered, and the gateway uses none.
 */
public final class BlockingHttpClientFactory implements HttpClient.Factory {

  /** The configuration with what this client needs: watches over plain HTTP. */
  public static Config adapt(Config config) {
    return new ConfigBuilder(config).withOnlyHttpWatches(true).build();
  }

  @Override
  public BlockingHttpClientBuilder newBuilder() {
    return new BlockingHttpClientBuilder(this);
  }
}
