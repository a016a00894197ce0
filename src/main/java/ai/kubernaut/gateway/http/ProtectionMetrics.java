package ai.kubernaut.gateway.http;

/** What the API listener's protections count. */
public interface ProtectionMetrics {

  /** A request refused at once because too many were in flight. */
  void overloaded();

  /** A request refused because its token's review budget ({@code signed}, …) was spent. */
  void reviewBudgetExhausted(String budget);
}
