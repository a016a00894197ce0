package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.ResourceKind;
import ai.kubernaut.gateway.signal.ResourceRef;

/** An object found in the cluster: its kind, the reference to it, and what the lookup returned. */
record Located(ResourceKind kind, ResourceRef ref, MetadataLookup.Found found) {}
