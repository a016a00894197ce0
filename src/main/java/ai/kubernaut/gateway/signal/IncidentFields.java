package ai.kubernaut.gateway.signal;

/**
 * The bounds the RemediationRequest schema puts on what a signal contributes to a new incident.
 * Checked before anything is written, so a signal the API server would refuse is answered 400
 * naming the field instead of failing its whole batch; every value below is the schema's.
 */
public final class IncidentFields {

  static final int MAX_SEVERITY = 50;
  static final int MAX_SIGNAL_NAME = 253;
  static final int MAX_CLUSTER_ID = 253;
  static final int MAX_SOURCE = 63;

  private IncidentFields() {}

  /**
   * @throws InvalidSignalException naming the first field the schema would refuse
   */
  public static void check(InboundSignal signal) {
    within("severity", signal.severity(), 1, MAX_SEVERITY);
    within("signal name", signal.name(), 1, MAX_SIGNAL_NAME);
    within("cluster", signal.clusterId(), 0, MAX_CLUSTER_ID);
    within("source", signal.source(), 1, MAX_SOURCE);
  }

  private static void within(String field, String value, int min, int max) {
    int length = value.codePointCount(0, value.length());
    if (length < min || length > max) {
      throw new InvalidSignalException(
          field
              + " must be "
              + (min > 0 ? min + " to " : "at most ")
              + max
              + " characters long; this one has "
              + length);
    }
  }
}
