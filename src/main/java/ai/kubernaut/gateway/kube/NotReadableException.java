package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.ResourceKind;

/**
 * The gateway may not read objects of a kind (the API server answered 403): whether such an object
 * exists cannot be checked, and asking again will not change that until the permissions do.
 */
final class NotReadableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  NotReadableException(ResourceKind kind, String namespace) {
    super(
        "the gateway may not read "
            + kind.plural()
            + (kind.group().isEmpty() ? "" : "." + kind.group())
            + (namespace.isEmpty() ? "" : " in namespace " + namespace),
        null,
        false,
        false);
  }
}
