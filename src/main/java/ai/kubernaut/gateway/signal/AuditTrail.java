package ai.kubernaut.gateway.signal;

/**
 * The pipeline's last stage before a sender is answered: the audit events of an outcome are
 * recorded durably, or the outcome turns into a failure the sender retries.
 */
@FunctionalInterface
public interface AuditTrail {

  /**
   * Records {@code outcome}'s audit events and returns once they are durable.
   *
   * @throws AuditNotRecordedException when they may not be durable
   */
  void record(Outcome outcome, RequestContext context);
}
