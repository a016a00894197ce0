package ai.kubernaut.gateway.audit;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * A readiness check an audit log asks for: {@code problem} answers empty when healthy, else what is
 * wrong. A check that does not {@code gate} is shown in {@code /readyz} but never fails it.
 */
public record ReadinessCheck(String name, Supplier<Optional<String>> problem, boolean gates) {}
