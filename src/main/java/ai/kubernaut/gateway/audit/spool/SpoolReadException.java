package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;

/**
 * A spool segment could not be read just now, and the failing bytes have not failed long enough to
 * be declared lost: the read is to be tried again later. Nothing was skipped.
 */
public final class SpoolReadException extends IOException {

  private static final long serialVersionUID = 1L;

  SpoolReadException(String message, IOException cause) {
    super(message, cause);
  }
}
