package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** Which connections count against one client's share of the connection slots. */
class ClientGroupsTest {

  @Test
  void ipv6AddressesOfOneSlash64AreOneClient() throws UnknownHostException {
    Object first = ClientGroups.of(InetAddress.getByName("2001:db8:1:2::1"));

    assertThat(ClientGroups.of(InetAddress.getByName("2001:db8:1:2:ffff:ab:cd:ef")))
        .isEqualTo(first);
    assertThat(ClientGroups.of(InetAddress.getByName("2001:db8:1:3::1"))).isNotEqualTo(first);
  }

  @Test
  void ipv4AddressesAreClientsOnTheirOwnAndMappedOnesCountAsIpv4() throws UnknownHostException {
    Object host = ClientGroups.of(InetAddress.getByName("192.0.2.10"));

    assertThat(ClientGroups.of(InetAddress.getByName("192.0.2.11"))).isNotEqualTo(host);
    assertThat(ClientGroups.of(InetAddress.getByName("::ffff:192.0.2.10"))).isEqualTo(host);
  }

  @Test
  void podAddressesAndNat64AddressesAreClientsOnTheirOwn() throws UnknownHostException {
    assertThat(ClientGroups.of(InetAddress.getByName("fd00:10:244:1::1a")))
        .as("pods of one node share a /64 of unique local addresses")
        .isNotEqualTo(ClientGroups.of(InetAddress.getByName("fd00:10:244:1::2b")));
    assertThat(ClientGroups.of(InetAddress.getByName("64:ff9b::c000:20a")))
        .isNotEqualTo(ClientGroups.of(InetAddress.getByName("64:ff9b::c000:20b")));
  }
}
