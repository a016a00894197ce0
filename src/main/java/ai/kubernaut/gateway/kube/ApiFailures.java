package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.ApiError;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.HttpURLConnection;
import java.util.concurrent.TimeoutException;

/** Classifies Kubernetes API failures by status code and cause, never by message text. */
final class ApiFailures {

  private ApiFailures() {}

  /** True for failures that may succeed when tried again: 429, 5xx, timeouts, lost connections. */
  static boolean isTransient(KubernetesClientException e) {
    int code = e.getCode();
    if (code == 429 || code >= 500) {
      return true;
    }
    return code <= 0 && isNetworkCause(e);
  }

  /**
   * True when a failed write certainly did not reach the store: the server refused it before
   * processing (429 from priority and fairness), or no connection was ever made.
   */
  static boolean certainlyNotApplied(KubernetesClientException e) {
    if (e.getCode() == 429) {
      return true;
    }
    if (e.getCode() > 0) {
      return false;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException) {
        return true;
      }
    }
    return false;
  }

  static boolean isConflict(KubernetesClientException e) {
    return e.getCode() == HttpURLConnection.HTTP_CONFLICT;
  }

  static boolean isNotFound(KubernetesClientException e) {
    return e.getCode() == HttpURLConnection.HTTP_NOT_FOUND;
  }

  /** A short description for logs and error details: status code and reason, no payloads. */
  static String describe(KubernetesClientException e) {
    if (e.getCode() <= 0) {
      Throwable root = rootCause(e);
      return "API server unreachable (" + root.getClass().getSimpleName() + ")";
    }
    String reason = e.getStatus() != null ? e.getStatus().getReason() : null;
    return "API server answered " + e.getCode() + (reason == null ? "" : " " + reason);
  }

  /** The status code and reason of the API's answer, for the audit trail. */
  static ApiError error(KubernetesClientException e) {
    String reason = e.getStatus() != null ? e.getStatus().getReason() : null;
    return new ApiError(e.getCode(), reason == null ? "" : reason);
  }

  private static boolean isNetworkCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException
          || t instanceof TimeoutException
          || t instanceof InterruptedIOException) {
        return true;
      }
    }
    // A code-0 client exception without a cause is how fabric8 reports a request it gave up on.
    return e.getCause() == null;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
