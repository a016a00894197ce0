package ai.kubernaut.gateway.signal;

import java.util.List;
import java.util.Optional;

/** The resource kinds the cluster serves, looked up by alert label key or by kind name. */
public interface ResourceKinds {

  /** The kind an alert label key names (its singular resource name or lowercase kind). */
  Optional<ResourceKind> forLabelKey(String labelKey);

  /** The kind with this exact name, in the first API group that serves it. */
  Optional<ResourceKind> forKind(String kind);

  /** Every API group's resource of this kind, first-discovered first; empty when unknown. */
  List<ResourceKind> allForKind(String kind);
}
