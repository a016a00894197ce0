package ai.kubernaut.gateway.security;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the client address of a request: proxy headers ({@code True-Client-IP}, then {@code
 * X-Real-IP}, then the first {@code X-Forwarded-For} entry) count only when the TCP peer is inside
 * a trusted CIDR. No CIDRs (the default) means proxy headers are ignored.
 */
public final class TrustedProxies {

  private static final Logger log = LoggerFactory.getLogger(TrustedProxies.class);

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
   * @param header a request header by name
   */
  public String clientAddress(String peer, Function<String, Optional<String>> header) {
    Optional<InetAddress> peerAddress = literal(peer);
    if (peerAddress.isEmpty() || cidrs.stream().noneMatch(c -> c.contains(peerAddress.get()))) {
      return peer;
    }
    for (String name : List.of("True-Client-IP", "X-Real-IP", "X-Forwarded-For")) {
      Optional<String> value = header.apply(name).map(v -> v.split(",", 2)[0].trim());
      if (value.isPresent() && literal(value.get()).isPresent()) {
        return literal(value.get()).get().getHostAddress();
      }
    }
    return peer;
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
      prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bytes * 8;
    } catch (NumberFormatException e) {
      return Optional.empty();
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
        s.matches("\\d{1,3}(\\.\\d{1,3}){3}")
            && java.util.Arrays.stream(s.split("\\.")).allMatch(o -> Integer.parseInt(o) <= 255);
    boolean v6 = s.contains(":") && s.matches("[0-9A-Fa-f:.]+");
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
