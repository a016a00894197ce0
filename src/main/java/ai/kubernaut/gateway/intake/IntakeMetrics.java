package ai.kubernaut.gateway.intake;

/** What the intake step reports. */
public interface IntakeMetrics {

  /** {@code signals} of a byte-identical redelivery were answered with their recorded result. */
  void redelivered(String source, long signals);

  /** The redelivery memory forgot a delivery before its window ended, because it was full. */
  void redeliveryEvicted();
}
