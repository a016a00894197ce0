package ai.kubernaut.gateway.security;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the client address of a request. Proxy headers count only when the TCP peer is inside a
 * trusted CIDR; no CIDRs (the default) means they are ignored. {@code X-Forwarded-For} is read from
 * the right, skipping trusted proxies: the first address no trusted proxy vouches for is the
 * client, since everything left of it the client could have written itself. Without that header,
 * {@code X-Real-IP}, then {@code True-Client-IP}. An IPv4-mapped IPv6 CIDR ({@code
 * ::ffff:10.0.0.0/104}) covers the IPv4 addresses it maps.
 */
public final class TrustedProxies {

  private static final Logger log = LoggerFactory.getLogger(TrustedProxies.class);
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

  private record Cidr(BigInteger network, BigInteger mask, int bytes) {
    boolean contains(InetAddress address) {
      byte[] raw = address.getAddress();
      return raw.length == bytes && new BigInteger(1, raw).and(mask).equals(network);
    }
  }

  private final List<Cidr> cidrs;

  public TrustedProxies(List<String> cidrs) {
    List<Cidr> parsed = new ArrayList<>();
    for (String cidr : cidrs) {
      parse(cidr).ifPresentOrElse(parsed::add, () -> log.warn("skipping malformed CIDR {}", cidr));
    }
    this.cidrs = List.copyOf(parsed);
  }

  /**
   * The client address.
   *
   * @param peer the TCP peer's address
   * @param header a request header by name, its lines joined by commas (one list)
   */
  public String clientAddress(String peer, Function<String, Optional<String>> header) {
    if (cidrs.isEmpty()) {
      return peer;
    }
    Optional<InetAddress> peerAddress = literal(peer);
    if (peerAddress.isEmpty() || !trusted(peerAddress.get())) {
      return peer;
    }
    Optional<String> forwarded = header.apply("X-Forwarded-For");
    if (forwarded.isPresent()) {
      return rightmostUntrusted(forwarded.get()).orElse(peer);
    }
    for (String name : List.of("X-Real-IP", "True-Client-IP")) {
      Optional<InetAddress> value = header.apply(name).flatMap(TrustedProxies::literal);
      if (value.isPresent()) {
        return value.get().getHostAddress();
      }
    }
    return peer;
  }

  private Optional<String> rightmostUntrusted(String forwardedFor) {
    String[] hops = forwardedFor.split(",");
    Optional<InetAddress> last = Optional.empty();
    for (int i = hops.length - 1; i >= 0; i--) {
      Optional<InetAddress> hop = literal(hops[i]);
      if (hop.isEmpty()) {
        // a hop no proxy could have written: nothing left of it can be believed
        return last.map(InetAddress::getHostAddress);
      }
      last = hop;
      if (!trusted(hop.get())) {
        return Optional.of(hop.get().getHostAddress());
      }
    }
    return last.map(InetAddress::getHostAddress);
  }

  private boolean trusted(InetAddress address) {
    return cidrs.stream().anyMatch(c -> c.contains(address));
  }

  private static Optional<Cidr> parse(String cidr) {
    String[] parts = cidr.trim().split("/", 2);
    Optional<InetAddress> address = literal(parts[0]);
    if (address.isEmpty()) {
      return Optional.empty();
    }
    int bytes = address.get().getAddress().length;
    int prefix;
    try {
      prefix = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : bytes * 8;
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (bytes == 4 && parts[0].contains(":")) {
      // ::ffff:a.b.c.d/n: the JDK turns the address into IPv4, so the prefix must follow it
      prefix = parts.length == 2 ? prefix - 96 : 32;
    }
    if (prefix < 0 || prefix > bytes * 8) {
      return Optional.empty();
    }
    BigInteger all = BigInteger.ONE.shiftLeft(bytes * 8).subtract(BigInteger.ONE);
    BigInteger mask = all.shiftRight(prefix).xor(all);
    return Optional.of(
        new Cidr(new BigInteger(1, address.get().getAddress()).and(mask), mask, bytes));
  }

  /** Parses an IP literal without ever doing a DNS lookup. */
  static Optional<InetAddress> literal(String text) {
    String s = text.trim();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    boolean v4 =
        IPV4.matcher(s).matches()
            && Arrays.stream(s.split("\\.")).allMatch(o -> Integer.parseInt(o) <= 255);
    boolean v6 = s.contains(":") && IPV6.matcher(s).matches();
    if (!v4 && !v6) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(s));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
