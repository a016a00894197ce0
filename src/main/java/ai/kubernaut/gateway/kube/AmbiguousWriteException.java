package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.TransientBackendException;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * A write reached the API server, or may have, and then failed (a 5xx, a timeout, a lost
 * connection): it may or may not have been applied. Only a read of the object can tell.
 */
final class AmbiguousWriteException extends TransientBackendException {

  AmbiguousWriteException(String message, KubernetesClientException cause) {
    super(message, cause, ApiFailures.error(cause));
  }
}
