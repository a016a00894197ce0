package ai.kubernaut.gateway.http;

import ai.kubernaut.gateway.signal.IncidentState;
import ai.kubernaut.gateway.signal.OccurrenceCount;
import ai.kubernaut.gateway.signal.Outcome;
import ai.kubernaut.gateway.signal.ResourceRef;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** Maps signal outcomes to the Go Gateway's response bodies. */
final class OutcomeResponses {

  static final String CREATED_MESSAGE = "RemediationRequest CRD created successfully";
  static final String DUPLICATE_MESSAGE = "Duplicate signal (K8s status-based deduplication)";

  private OutcomeResponses() {}

  static ProcessingResponse created(Outcome.Created c) {
    IncidentState rr = c.incident();
    return new ProcessingResponse(
        "created",
        CREATED_MESSAGE,
        c.resolved().fingerprint().value(),
        false,
        rr.name(),
        rr.namespace(),
        null,
        null);
  }

  static ProcessingResponse duplicate(Outcome.Duplicate d) {
    IncidentState rr = d.incident();
    OccurrenceCount o = d.occurrences();
    return new ProcessingResponse(
        "duplicate",
        DUPLICATE_MESSAGE,
        d.resolved().fingerprint().value(),
        true,
        rr.name(),
        rr.namespace(),
        new ProcessingResponse.DuplicateMetadata(
            o.count(), rr.ref(), timestamp(o.firstSeenAt()), timestamp(o.lastSeenAt())),
        null);
  }

  static ProcessingResponse rejected(Outcome.Rejected r) {
    if (r.reason().equals(Outcome.Rejected.FOREIGN_CLUSTER)) {
      return foreignCluster(r);
    }
    ResourceRef target = r.resolved().target();
    String ref = target.display();
    String namespaceFlag = target.clusterScoped() ? "" : "-n " + target.namespace() + " ";
    return rejection(
        "Signal rejected: resource " + ref + " is not managed by Kubernaut",
        r.reason(),
        "Resource " + ref + " is not in Kubernaut's management scope",
        ref,
        "To manage this resource, add the label: kubectl label "
            + namespaceFlag
            + target.kubectlKind()
            + " "
            + target.name()
            + " kubernaut.ai/managed=true");
  }

  private static ProcessingResponse foreignCluster(Outcome.Rejected r) {
    String cluster = r.inbound().clusterId();
    String ref = r.resolved().target().display();
    return rejection(
        "Signal rejected: it comes from cluster " + cluster + ", which this gateway does not serve",
        r.reason(),
        "Cluster " + cluster + " is not the cluster this gateway serves",
        ref,
        "Route signals labelled cluster="
            + cluster
            + " to the gateway of that cluster, or correct the cluster label or cluster.id");
  }

  /** A rejected signal's body: no fingerprint, no RemediationRequest, the reason and the fix. */
  private static ProcessingResponse rejection(
      String message, String reason, String detail, String resource, String action) {
    return new ProcessingResponse(
        "rejected",
        message,
        "",
        false,
        null,
        null,
        null,
        new ProcessingResponse.Rejection("rejected", reason, detail, resource, action));
  }

  static BatchResponse.Item item(Outcome outcome) {
    String fingerprint = outcome.signal().map(s -> s.fingerprint().value()).orElse("");
    return switch (outcome) {
      case Outcome.Created c ->
          new BatchResponse.Item(
              "created", fingerprint, CREATED_MESSAGE, null, c.incident().name());
      case Outcome.Duplicate d ->
          new BatchResponse.Item(
              "duplicate", fingerprint, DUPLICATE_MESSAGE, null, d.incident().name());
      case Outcome.Rejected r ->
          new BatchResponse.Item("rejected", "", rejected(r).message(), null, null);
      case Outcome.Invalid i ->
          new BatchResponse.Item(
              "rejected",
              "",
              "Signal validation failed",
              "Signal validation failed: " + i.detail(),
              null);
      case Outcome.Failed f ->
          new BatchResponse.Item(
              "failed",
              fingerprint,
              "Signal could not be recorded; retry",
              f.cause() == Outcome.FailureCause.DEADLINE_EXCEEDED
                  ? "request timeout exceeded"
                  : "Processing failed: " + f.detail(),
              null);
    };
  }

  /**
   * What a redelivery of this signal should be answered with: recorded for signals that were
   * recorded or rejected for good, empty for failures (which must be retried) and invalid signals
   * (whose answer carries the request's own id).
   */
  static Optional<RecentDeliveries.Recorded> recorded(Outcome outcome) {
    return switch (outcome) {
      case Outcome.Created c ->
          Optional.of(new RecentDeliveries.Recorded(201, created(c), item(c)));
      case Outcome.Duplicate d ->
          Optional.of(new RecentDeliveries.Recorded(202, duplicate(d), item(d)));
      case Outcome.Rejected r ->
          Optional.of(new RecentDeliveries.Recorded(200, rejected(r), item(r)));
      case Outcome.Invalid i -> Optional.empty();
      case Outcome.Failed f -> Optional.empty();
    };
  }

  static BatchResponse batch(List<BatchResponse.Item> items) {
    return new BatchResponse(
        items,
        new BatchResponse.Summary(
            items.size(),
            count(items, "created"),
            count(items, "duplicate"),
            count(items, "rejected"),
            count(items, "failed")));
  }

  private static int count(List<BatchResponse.Item> items, String status) {
    return (int) items.stream().filter(i -> i.status().equals(status)).count();
  }

  private static String timestamp(java.time.Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
