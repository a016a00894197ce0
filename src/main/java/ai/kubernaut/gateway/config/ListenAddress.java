package ai.kubernaut.gateway.config;

/**
 * A listener address in Go form: {@code :8080}, {@code 0.0.0.0:8080} or {@code 127.0.0.1:0}.
 *
 * @param host the interface to bind, empty for all interfaces
 * @param port the port, 0 for any free port
 */
public record ListenAddress(String host, int port) {

  /** The address, or {@code null} when the text is not {@code [host]:port}. */
  static ListenAddress parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      return null;
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      int port = Integer.parseInt(text.substring(colon + 1));
      return port < 0 || port > 65535 ? null : new ListenAddress(host, port);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The host to bind: all interfaces when none is given. */
  public String bindHost() {
    return host.isEmpty() ? "0.0.0.0" : host;
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
