package ai.kubernaut.gateway.signal;

import java.util.Optional;

/** The resource kinds the cluster serves, looked up by alert label key or by kind name. */
public interface ResourceKinds {

  /** The kind an alert label key names (its singular resource name or lowercase kind). */
  Optional<ResourceKind> forLabelKey(String labelKey);

  /** The kind with this exact name. */
  Optional<ResourceKind> forKind(String kind);
}
