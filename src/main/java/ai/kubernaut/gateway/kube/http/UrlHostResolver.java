package ai.kubernaut.gateway.kube.http;

import io.helidon.webclient.api.DnsAddressLookup;
import io.helidon.webclient.spi.DnsResolver;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Resolves a host to an address named for the certificate check. Helidon verifies the server's
 * certificate against the address's host name (and sends it as SNI), and an address resolved from
 * an IP literal has none, so it would verify whatever a reverse lookup finds ({@code 127.0.0.1}
 * becomes {@code localhost}) instead of the IP the certificate names. The name is the host as the
 * URL wrote it, or the kubeconfig's {@code tls-server-name} when it sets one.
 */
final class UrlHostResolver implements DnsResolver {

  private final String serverName;

  /**
   * @param serverName the name to verify the server's certificate against, or null for the host
   */
  UrlHostResolver(String serverName) {
    this.serverName = serverName == null || serverName.isEmpty() ? null : serverName;
  }

  @Override
  public InetAddress resolveAddress(String hostname, DnsAddressLookup lookup) {
    try {
      InetAddress[] addresses = lookup.filter(InetAddress.getAllByName(hostname));
      if (addresses.length == 0) {
        throw new UnknownHostException("no address of " + hostname + " fits " + lookup);
      }
      String name = serverName == null ? hostname : serverName;
      return InetAddress.getByAddress(name, addresses[0].getAddress());
    } catch (UnknownHostException e) {
      throw new UncheckedIOException(e);
    }
  }
}
