package ai.kubernaut.gateway.config;

/**
 * The Go Gateway's spelling of sender authentication, {@code server.authenticationEnabled}: {@code
 * true} is {@code auth.mode: kubernetes}, {@code false} is {@code auth.mode: none}. A file may use
 * either spelling, or both when they agree.
 */
final class AuthenticationSwitch {

  static final String KEY = "server.authenticationEnabled";
  private static final String MODE_KEY = "auth.mode";

  private AuthenticationSwitch() {}

  static GatewayConfig.Security apply(ConfigReader r, GatewayConfig.Security security) {
    if (!r.isSet(KEY)) {
      return security;
    }
    int problemsBefore = r.problems().size();
    boolean enabled = r.bool(KEY, true);
    if (r.problems().size() > problemsBefore) {
      return security;
    }
    String mode =
        enabled ? GatewayConfig.Security.AUTH_KUBERNETES : GatewayConfig.Security.AUTH_NONE;
    if (r.isSet(MODE_KEY) && !security.auth().mode().equals(mode)) {
      r.require(
          false,
          KEY,
          enabled,
          "consistent with "
              + MODE_KEY
              + " ("
              + security.auth().mode()
              + "); set only one of "
              + KEY
              + " and "
              + MODE_KEY
              + ", or make them agree");
      return security;
    }
    return new GatewayConfig.Security(
        security.auth().withMode(mode),
        security.freshness(),
        security.trustedProxyCidrs(),
        security.limits(),
        security.cors());
  }
}
