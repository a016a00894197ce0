package ai.kubernaut.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

  private static final Map<String, String> FORWARDED =
      Map.of("X-Forwarded-For", "203.0.113.7, 10.0.0.9", "X-Real-IP", "198.51.100.1");

  @Test
  void proxyHeadersFromAnUntrustedPeerAreIgnored() {
    TrustedProxies proxies = new TrustedProxies(List.of("10.0.0.0/8"));

    assertThat(proxies.clientAddress("192.168.1.5", h -> Optional.ofNullable(FORWARDED.get(h))))
        .isEqualTo("192.168.1.5");
  }

  @Test
  void noCidrsMeansNoPeerIsTrusted() {
    assertThat(
            new TrustedProxies(List.of())
                .clientAddress("10.1.2.3", h -> Optional.ofNullable(FORWARDED.get(h))))
        .isEqualTo("10.1.2.3");
  }

  @Test
  void aTrustedPeerNamesTheClientForwardedForFirstThenRealIpThenTrueClientIp() {
    TrustedProxies proxies = new TrustedProxies(List.of("not-a-cidr", "10.0.0.0/8", "fd00::/8"));

    assertThat(proxies.clientAddress("10.1.2.3", h -> Optional.ofNullable(FORWARDED.get(h))))
        .isEqualTo("203.0.113.7");
    assertThat(
            proxies.clientAddress(
                "10.1.2.3",
                h -> h.equals("X-Real-IP") ? Optional.of("198.51.100.1") : Optional.empty()))
        .isEqualTo("198.51.100.1");
    assertThat(
            proxies.clientAddress(
                "fd00::1",
                h -> h.equals("True-Client-IP") ? Optional.of("2001:db8::1") : Optional.empty()))
        .isEqualTo("2001:db8:0:0:0:0:0:1");
  }

  @Test
  void forwardedForIsReadFromTheRightSoAnAddressTheClientWroteIsNotBelieved() {
    TrustedProxies proxies = new TrustedProxies(List.of("10.0.0.0/8"));

    // the client wrote 1.1.1.1; the ingress appended the address it saw, 203.0.113.7; an inner
    // proxy appended the ingress
    assertThat(
            proxies.clientAddress(
                "10.1.2.3",
                h ->
                    h.equals("X-Forwarded-For")
                        ? Optional.of("1.1.1.1, 203.0.113.7, 10.0.0.9")
                        : Optional.empty()))
        .isEqualTo("203.0.113.7");
  }

  @Test
  void anIpv4MappedIpv6CidrCoversTheIpv4AddressesItMaps() {
    TrustedProxies proxies = new TrustedProxies(List.of("::ffff:10.0.0.0/104"));

    assertThat(
            proxies.clientAddress(
                "10.1.2.3",
                h -> h.equals("X-Real-IP") ? Optional.of("198.51.100.1") : Optional.empty()))
        .isEqualTo("198.51.100.1");
    assertThat(
            proxies.clientAddress(
                "11.1.2.3",
                h -> h.equals("X-Real-IP") ? Optional.of("198.51.100.1") : Optional.empty()))
        .isEqualTo("11.1.2.3");
  }

  @Test
  void malformedForwardedAddressesAreNotBelievedAndNeverLookedUp() {
    TrustedProxies proxies = new TrustedProxies(List.of("10.0.0.0/8"));

    assertThat(
            proxies.clientAddress(
                "10.1.2.3",
                h ->
                    h.equals("X-Forwarded-For")
                        ? Optional.of("1.2.3.4, attacker.example")
                        : Optional.empty()))
        .isEqualTo("10.1.2.3");
    assertThat(
            proxies.clientAddress(
                "10.1.2.3",
                h ->
                    h.equals("X-Forwarded-For")
                        ? Optional.of("attacker.example, 1.2.3.4")
                        : Optional.empty()))
        .isEqualTo("1.2.3.4");
    assertThat(
            proxies.clientAddress(
                "10.1.2.3",
                h -> h.equals("X-Real-IP") ? Optional.of("1.2.3.999") : Optional.empty()))
        .isEqualTo("10.1.2.3");
  }
}
