package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.KubernetesNames;
import ai.kubernaut.gateway.signal.ResourceKind;
import ai.kubernaut.gateway.signal.ResourceKinds;
import ai.kubernaut.gateway.signal.ResourceRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the object a target candidate names, in each API group that serves its kind: of a kind
 * served by several groups, the group that has the object; when several have it, the target keeps
 * no API version.
 */
final class CandidateLocator {

  // under the resolver's name, which log configurations already know
  private static final Logger log = LoggerFactory.getLogger(OwnerChainResolver.class);

  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9._:@+~-]{1,253}");

  private final ResourceKinds kinds;
  private final MetadataLookup lookup;

  CandidateLocator(ResourceKinds kinds, MetadataLookup lookup) {
    this.kinds = kinds;
    this.lookup = lookup;
  }

  /**
   * The groups serving the candidate's kind, narrowed to its own group when the sender named it.
   */
  List<ResourceKind> servingGroups(ResourceRef candidate) {
    List<ResourceKind> all = kinds.allForKind(candidate.kind());
    if (candidate.apiVersion().isEmpty()) {
      return all;
    }
    String group = OwnerChainResolver.groupOf(candidate.apiVersion());
    List<ResourceKind> named = all.stream().filter(k -> k.group().equals(group)).toList();
    return named.isEmpty() ? all : named;
  }

  /**
   * The candidate as found in one of the groups {@code served}; empty when none has it.
   *
   * @throws NotReadableException when none has it that the gateway may read, and one it may not
   *     read could
   */
  Optional<Located> locate(ResourceRef candidate, List<ResourceKind> served) {
    List<Located> existing = new ArrayList<>();
    NotReadableException unreadable = null;
    for (ResourceKind kind : served) {
      String namespace = kind.namespaced() ? candidate.namespace() : "";
      if (!couldExist(kind, namespace, candidate.name())) {
        // an Event's object reference the sender got wrong (no namespace, or a name no object can
        // have): asking the API would fail before sending, or ask for something else
        continue;
      }
      try {
        lookup
            .find(kind, namespace, candidate.name())
            .ifPresent(
                found ->
                    existing.add(
                        new Located(
                            kind,
                            new ResourceRef(
                                kind.kind(), candidate.name(), namespace, kind.apiVersion()),
                            found)));
      } catch (NotReadableException e) {
        unreadable = e;
      }
    }
    if (existing.isEmpty() && unreadable != null) {
      throw unreadable;
    }
    if (existing.size() > 1) {
      log.info(
          "{} exists in several API groups ({}); its apiVersion is left empty",
          candidate.display(),
          existing.stream().map(l -> l.kind().apiVersion()).toList());
      Located first = existing.getFirst();
      return Optional.of(new Located(first.kind(), first.ref().withApiVersion(""), first.found()));
    }
    return existing.stream().findFirst();
  }

  /** A candidate that cannot be checked, as the target it names. */
  static ResourceRef asNamed(ResourceRef candidate, List<ResourceKind> served) {
    ResourceKind kind = served.getFirst();
    return new ResourceRef(
        kind.kind(),
        candidate.name(),
        kind.namespaced() ? candidate.namespace() : "",
        served.size() == 1 ? kind.apiVersion() : candidate.apiVersion());
  }

  /**
   * Whether an object of this kind could have this name and namespace, and be asked for by it:
   * every namespace is a DNS label; names are DNS names for most kinds, but RBAC objects use {@code
   * :} and custom resources any one URL path segment, so the characters URLs carry unescaped are
   * accepted (the client does not escape names).
   */
  private static boolean couldExist(ResourceKind kind, String namespace, String name) {
    return PLAIN_NAME.matcher(name).matches()
        && !name.equals(".")
        && !name.equals("..")
        && (kind.namespaced() ? KubernetesNames.isNamespaceName(namespace) : namespace.isEmpty());
  }
}
