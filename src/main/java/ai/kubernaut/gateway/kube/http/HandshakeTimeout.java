package ai.kubernaut.gateway.kube.http;

import io.helidon.webclient.api.ConnectedSocketChannelInfo;
import io.helidon.webclient.api.ConnectedSocketInfo;
import io.helidon.webclient.api.ConnectionListener;
import java.net.SocketException;
import java.time.Duration;

/**
 * Bounds each read of a new connection's TLS handshake by the connect timeout. Helidon sets a read
 * timeout only once a request is under way, so a server that accepts the connection and never
 * answers the handshake would hold the calling thread for good.
 */
final class HandshakeTimeout implements ConnectionListener {

  private final int millis;

  HandshakeTimeout(Duration timeout) {
    this.millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
  }

  @Override
  public void socketConnected(ConnectedSocketInfo connected) throws SocketException {
    connected.socket().setSoTimeout(millis);
  }

  @Override
  public void socketChannelConnected(ConnectedSocketChannelInfo connected) {}
}
