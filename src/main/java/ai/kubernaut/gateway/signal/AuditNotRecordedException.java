package ai.kubernaut.gateway.signal;

/** An outcome's audit events may not be durable: the sender must not be told it was recorded. */
public final class AuditNotRecordedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public AuditNotRecordedException(String message, Throwable cause) {
    super(message, cause);
  }
}
