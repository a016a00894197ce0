package ai.kubernaut.gateway.testing;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class the JVM's {@link RealApiServer} (a parameter of that type), starting it on
 * first use; without Go the class is skipped with one line saying why and how to enable it.
 */
public final class RealApiServerExtension implements BeforeAllCallback, ParameterResolver {

  @Override
  public void beforeAll(ExtensionContext context) {
    server();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RealApiServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server();
  }

  private static RealApiServer server() {
    Optional<RealApiServer> server = RealApiServer.shared();
    Assumptions.assumeTrue(server.isPresent(), RealApiServer::unavailableReason);
    return server.orElseThrow();
  }
}
