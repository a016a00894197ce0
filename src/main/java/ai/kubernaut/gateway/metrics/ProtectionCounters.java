package ai.kubernaut.gateway.metrics;

import ai.kubernaut.gateway.http.ProtectionMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code gateway_http_requests_rejected_total{reason="overload"}} and {@code
 * gateway_auth_review_budget_exhausted_total} by budget, registered at once so that they show zero
 * before the first refusal.
 */
public final class ProtectionCounters implements ProtectionMetrics {

  private final Counter overloaded;
  private final Map<String, Counter> budgetsExhausted;
  private final MeterRegistry registry;

  public ProtectionCounters(MeterRegistry registry) {
    this.registry = registry;
    this.overloaded =
        Counter.builder("gateway.http.requests.rejected")
            .description("Requests refused before processing")
            .tag("reason", "overload")
            .register(registry);
    this.budgetsExhausted =
        Stream.of("signed", "known_subject", "unverified")
            .collect(Collectors.toUnmodifiableMap(Function.identity(), this::budgetExhausted));
  }

  private Counter budgetExhausted(String budget) {
    return Counter.builder("gateway.auth.review.budget.exhausted")
        .description("Requests refused because their token's review budget was spent")
        .tag("budget", budget)
        .register(registry);
  }

  @Override
  public void overloaded() {
    overloaded.increment();
  }

  @Override
  public void reviewBudgetExhausted(String budget) {
    Counter counter = budgetsExhausted.get(budget);
    (counter != null ? counter : budgetExhausted(budget)).increment();
  }
}
