package ai.kubernaut.gateway.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;

/**
 * Who a connection counts against for the per-client limit: an IPv4 address as it is (one host, or
 * everyone behind one NAT), a global IPv6 address by its /64, the smallest prefix a site is given
 * and one host can pick addresses from at will. Unique local addresses (fc00::/7, where clusters
 * put pods, a node's pods sharing one /64) and NAT64 addresses (64:ff9b::/96, every IPv4 client
 * behind one prefix) count one by one. IPv4-mapped IPv6 addresses count as IPv4.
 */
final class ClientGroups {

  private ClientGroups() {}

  /** The group {@code address} counts in; equal groups share the per-client limit. */
  static Object of(InetAddress address) {
    if (address instanceof Inet6Address) {
      byte[] bytes = address.getAddress();
      boolean uniqueLocal = (bytes[0] & 0xfe) == 0xfc;
      boolean nat64 = HexFormat.of().formatHex(bytes, 0, 12).equals("0064ff9b0000000000000000");
      if (!uniqueLocal && !nat64) {
        return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
      }
    }
    return address;
  }
}
