package ai.kubernaut.gateway.signal;

import java.util.HexFormat;
import java.util.Objects;

/**
 * The identity of an incident: lowercase hex SHA-256 of {@code [cluster:]namespace:Kind:name} of
 * the workload that owns the signal's target (the Go Gateway's function). The alert name is
 * deliberately not part of it, so every signal about one workload folds into one incident,
 * whichever source sent it. Signals about this gateway's own cluster are fingerprinted without a
 * cluster (see {@link Signal#resolved}); cluster-scoped objects have an empty namespace.
 */
public record Fingerprint(String value) {

  private static final int LENGTH = 64;

  public Fingerprint {
    Objects.requireNonNull(value, "value");
    if (value.length() != LENGTH || !value.chars().allMatch(Fingerprint::isLowerHex)) {
      throw new IllegalArgumentException("fingerprint must be 64 lowercase hex characters");
    }
  }

  /** Computes the fingerprint of an owner resource, optionally qualified by a cluster id. */
  public static Fingerprint of(String clusterId, ResourceRef owner) {
    String identity = owner.namespace() + ":" + owner.kind() + ":" + owner.name();
    if (clusterId != null && !clusterId.isEmpty()) {
      identity = clusterId + ":" + identity;
    }
    return new Fingerprint(HexFormat.of().formatHex(Sha256.of(identity)));
  }

  /** The first {@code n} characters, used in object names and label values. */
  public String prefix(int n) {
    return value.substring(0, n);
  }

  @Override
  public String toString() {
    return value;
  }

  private static boolean isLowerHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }
}
