package ai.kubernaut.gateway.kube.http;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.StandardHttpClientBuilder;
import io.fabric8.kubernetes.client.http.TlsVersion;
import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicBoolean;

/** Maps fabric8's client settings onto a Helidon HTTP/1.1 client. */
final class BlockingHttpClientBuilder
    extends StandardHttpClientBuilder<
        BlockingHttpClient, BlockingHttpClientFactory, BlockingHttpClientBuilder> {

  /** fabric8's default connect timeout, for a client configured without one. */
  private static final Duration DEFAULT_CONNECT = Duration.ofSeconds(10);

  BlockingHttpClientBuilder(BlockingHttpClientFactory factory) {
    super(factory);
  }

  @Override
  public HttpClient build() {
    if (client != null) {
      return new BlockingHttpClient(this, client.helidon(), client.getClosed());
    }
    Duration connecting = connecting();
    // The client's own read timeout is what a proxy's answer to the tunnel request is awaited
    // with: that answer is part of setting up the connection. Each request sets its own.
    Http1ClientConfig.Builder config =
        Http1Client.builder()
            .shareConnectionCache(false)
            .sendExpectContinue(false)
            .dnsResolver(new UrlHostResolver(tlsServerName))
            .followRedirects(followRedirects)
            .tls(tls(connecting))
            .connectTimeout(connecting)
            .readTimeout(connecting)
            .proxy(proxy());
    return new BlockingHttpClient(this, config.build(), new AtomicBoolean());
  }

  @Override
  protected BlockingHttpClientBuilder newInstance(BlockingHttpClientFactory factory) {
    return new BlockingHttpClientBuilder(factory);
  }

  private Duration connecting() {
    return connectTimeout != null && connectTimeout.isPositive() ? connectTimeout : DEFAULT_CONNECT;
  }

  private Tls tls(Duration handshakeLimit) {
    if (sslContext == null) {
      return Tls.builder().enabled(false).build();
    }
    var tls =
        Tls.builder()
            .sslContext(BoundedHandshakes.of(sslContext, handshakeLimit))
            .endpointIdentificationAlgorithm("HTTPS");
    if (tlsVersions != null && tlsVersions.length > 0) {
      tls.enabledProtocols(Arrays.stream(tlsVersions).map(TlsVersion::javaName).toList());
    }
    return tls.build();
  }

  private Proxy proxy() {
    if (proxyType == HttpClient.ProxyType.DIRECT || proxyAddress == null) {
      return Proxy.noProxy();
    }
    if (proxyType != HttpClient.ProxyType.HTTP) {
      throw new KubernetesClientException(
          "only HTTP proxies are supported by this gateway's Kubernetes client, not " + proxyType);
    }
    if (sslContext != null && tlsServerName != null && !tlsServerName.isEmpty()) {
      // The certificate is checked against the name the resolver gives the server's address, and
      // Helidon opens a proxy's tunnel to that same name: the tunnel would lead to tls-server-name.
      throw new KubernetesClientException(
          "tls-server-name cannot be combined with a proxy by this gateway's Kubernetes client:"
              + " the proxy would be asked for a tunnel to "
              + tlsServerName
              + " instead of the server's own address");
    }
    Proxy.Builder proxy =
        Proxy.builder()
            .type(Proxy.ProxyType.HTTP)
            .host(proxyAddress.getHostString())
            .port(proxyAddress.getPort());
    if (proxyAuthorization != null && proxyAuthorization.startsWith("Basic ")) {
      String decoded =
          new String(
              Base64.getDecoder().decode(proxyAuthorization.substring(6).trim()),
              StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon > 0) {
        proxy.username(decoded.substring(0, colon));
        proxy.password(decoded.substring(colon + 1).toCharArray());
      }
    }
    return proxy.build();
  }
}
