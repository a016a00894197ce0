package ai.kubernaut.gateway.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** The readiness checks, evaluated in order; the first failing one makes {@code /readyz} 503. */
public final class Readiness {

  /** The state of one check; a check that is not {@code required} is reported but never gates. */
  public record Check(String name, boolean ok, String message, boolean required) {

    public Check(String name, boolean ok, String message) {
      this(name, ok, message, true);
    }
  }

  private record Probe(String name, Supplier<Check> probe) {}

  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private final List<Probe> probes = new ArrayList<>();

  public Readiness() {
    probes.add(
        new Probe(
            "shutdown",
            () ->
                shuttingDown.get()
                    ? new Check("shutdown", false, "Server is shutting down gracefully")
                    : new Check("shutdown", true, "running")));
  }

  /** Adds a check: {@code probe} answers empty when healthy, else the reason it is not ready. */
  public Readiness add(String name, Supplier<Optional<String>> probe) {
    return probe(name, probe, true);
  }

  /**
   * Adds a check that is shown in the {@code /readyz} body but never makes it fail: {@code probe}
   * answers empty when healthy, else what is wrong.
   */
  public Readiness report(String name, Supplier<Optional<String>> probe) {
    return probe(name, probe, false);
  }

  private Readiness probe(String name, Supplier<Optional<String>> probe, boolean required) {
    probes.add(
        new Probe(
            name,
            () ->
                probe
                    .get()
                    .map(problem -> new Check(name, false, problem, required))
                    .orElseGet(() -> new Check(name, true, "ok", required))));
    return this;
  }

  public void shuttingDown() {
    shuttingDown.set(true);
  }

  public List<Check> evaluate() {
    return probes.stream().map(p -> p.probe().get()).toList();
  }

  public boolean ready() {
    return evaluate().stream().allMatch(c -> c.ok() || !c.required());
  }

  static Map<String, Object> checksBody(List<Check> checks) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (Check c : checks) {
      body.put(
          c.name(),
          c.required()
              ? Map.of("ok", c.ok(), "message", c.message())
              : Map.of("ok", c.ok(), "message", c.message(), "required", false));
    }
    return body;
  }
}
