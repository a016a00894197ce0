package ai.kubernaut.gateway.intake;

import ai.kubernaut.gateway.signal.Outcome;
import ai.kubernaut.gateway.signal.ResourceRef;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Maps signal outcomes to the Go Gateway's response bodies. Texts never repeat a sender-supplied
 * value longer than {@link RecordedAnswer#MAX_ECHO} characters, and a foreign cluster's label is
 * not repeated at all, so a response (and a 207 of many items) stays small whatever the labels.
 */
final class OutcomeResponses {

  static final String CREATED_MESSAGE = "RemediationRequest CRD created successfully";
  static final String DUPLICATE_MESSAGE = "Duplicate signal (K8s status-based deduplication)";
  static final String RESOLVED_ACTIVE_MESSAGE =
      "Alert recorded as resolved; not counted on the active RemediationRequest";
  static final String RESOLVED_NONE_MESSAGE =
      "Alert recorded as resolved; no active RemediationRequest, none opened";
  static final String RESOLVED_OWNER_UNKNOWN_MESSAGE =
      "Alert recorded as resolved; its target no longer exists, so its workload and any active"
          + " RemediationRequest are unknown; none opened or counted";

  private OutcomeResponses() {}

  /**
   * The answer to a request of one signal: the Go Gateway's status and body when it was settled,
   * 400 when it is invalid, 504 when the deadline passed, else 503 so the sender retries.
   */
  static Answer single(SignalResult result) {
    return switch (result) {
      case SignalResult.Recorded r ->
          new Answer.Body(r.answer().status(), single(r.answer()), false);
      case SignalResult.Invalid i ->
          Answer.Problem.of(400, "Signal validation failed: " + RecordedAnswer.bounded(i.reason()));
      case SignalResult.Unrecorded u when result.deadlineExceeded() ->
          Answer.Problem.of(504, "Request processing timed out");
      case SignalResult.Unrecorded u ->
          Answer.Problem.of(
              503, "Signal could not be recorded: " + RecordedAnswer.bounded(u.failure().detail()));
    };
  }

  /**
   * The answer to a request of several signals: 207 with an item per signal, or 503 with the same
   * items when any was not recorded, so the sender retries (its recorded signals are recognised).
   */
  static Answer batch(List<SignalResult> results) {
    List<BatchResponse.Item> items =
        results.stream()
            .map(
                result ->
                    switch (result) {
                      case SignalResult.Recorded r -> item(r.answer());
                      case SignalResult.Invalid i -> invalid(i.reason());
                      case SignalResult.Unrecorded u -> failed(u.failure());
                    })
            .toList();
    boolean allRecorded = results.stream().noneMatch(r -> r instanceof SignalResult.Unrecorded);
    return new Answer.Body(allRecorded ? 207 : 503, batchBody(items), !allRecorded);
  }

  /** The single-signal body of a settled signal. */
  static ProcessingResponse single(RecordedAnswer a) {
    return switch (a.status()) {
      case 201 ->
          new ProcessingResponse(
              "created",
              CREATED_MESSAGE,
              a.fingerprint(),
              false,
              a.incidentName(),
              a.incidentNamespace(),
              null,
              null);
      case 202 ->
          new ProcessingResponse(
              "duplicate",
              DUPLICATE_MESSAGE,
              a.fingerprint(),
              true,
              a.incidentName(),
              a.incidentNamespace(),
              new ProcessingResponse.DuplicateMetadata(
                  a.count(),
                  a.incidentNamespace() + "/" + a.incidentName(),
                  timestamp(a.firstSeen()),
                  timestamp(a.lastSeen())),
              null);
      default -> a.resolvedAlert() ? resolved(a) : rejected(a);
    };
  }

  private static ProcessingResponse resolved(RecordedAnswer a) {
    boolean active = a.namesActiveIncident();
    return new ProcessingResponse(
        "resolved",
        resolvedMessage(a),
        a.fingerprint(),
        false,
        a.incidentName(),
        a.incidentNamespace(),
        null,
        null,
        new ProcessingResponse.Resolution(
            a.ownerUnknown() ? null : active,
            active ? a.incidentNamespace() + "/" + a.incidentName() : "",
            active ? a.count() : null));
  }

  private static String resolvedMessage(RecordedAnswer a) {
    if (a.ownerUnknown()) {
      return RESOLVED_OWNER_UNKNOWN_MESSAGE;
    }
    return a.namesActiveIncident() ? RESOLVED_ACTIVE_MESSAGE : RESOLVED_NONE_MESSAGE;
  }

  private static ProcessingResponse rejected(RecordedAnswer a) {
    if (a.rejection().equals(Outcome.Rejected.FOREIGN_CLUSTER)) {
      return foreignCluster(a);
    }
    ResourceRef target = a.target();
    String ref = target.display();
    String namespaceFlag = target.clusterScoped() ? "" : "-n " + target.namespace() + " ";
    return rejection(
        "Signal rejected: resource " + ref + " is not managed by Kubernaut",
        a.rejection(),
        "Resource " + ref + " is not in Kubernaut's management scope",
        ref,
        "To manage this resource, add the label: kubectl label "
            + namespaceFlag
            + target.kubectlKind()
            + " "
            + target.name()
            + " kubernaut.ai/managed=true");
  }

  private static ProcessingResponse foreignCluster(RecordedAnswer a) {
    return rejection(
        "Signal rejected: its cluster label names a cluster this gateway does not serve",
        a.rejection(),
        "The signal's cluster label is not the cluster this gateway serves",
        a.target().display(),
        "Route signals to the gateway of the cluster they name, or correct the cluster label or"
            + " cluster.id");
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

  /** The batch item of a settled signal. */
  static BatchResponse.Item item(RecordedAnswer a) {
    return switch (a.status()) {
      case 201 ->
          new BatchResponse.Item(
              "created", a.fingerprint(), CREATED_MESSAGE, null, a.incidentName());
      case 202 ->
          new BatchResponse.Item(
              "duplicate", a.fingerprint(), DUPLICATE_MESSAGE, null, a.incidentName());
      default ->
          a.resolvedAlert()
              ? new BatchResponse.Item(
                  "resolved", a.fingerprint(), resolvedMessage(a), null, a.incidentName())
              : new BatchResponse.Item("rejected", "", itemRejection(a), null, null);
    };
  }

  /** Most characters of a resource reference or a reason a batch item repeats. */
  static final int ITEM_REFERENCE_LIMIT = 100;

  /**
   * A rejected signal's message in a batch, naming its resource in at most {@value
   * #ITEM_REFERENCE_LIMIT} characters, so a 1,000-alert answer stays near 210 KB whatever the
   * names; the single-signal answer names the resource in full.
   */
  private static String itemRejection(RecordedAnswer a) {
    if (a.rejection().equals(Outcome.Rejected.FOREIGN_CLUSTER)) {
      return foreignCluster(a).message();
    }
    return "Signal rejected: resource "
        + cut(a.target().display())
        + " is not managed by Kubernaut";
  }

  private static String cut(String text) {
    String bounded = RecordedAnswer.bounded(text);
    return bounded.length() <= ITEM_REFERENCE_LIMIT
        ? bounded
        : bounded.substring(0, ITEM_REFERENCE_LIMIT - 1) + "…";
  }

  /** The batch item of a signal that was not recorded. */
  private static BatchResponse.Item failed(Outcome.Failed f) {
    return new BatchResponse.Item(
        "failed",
        f.signal().map(s -> s.fingerprint().value()).orElse(""),
        "Signal could not be recorded; retry",
        f.cause() == Outcome.FailureCause.DEADLINE_EXCEEDED
            ? "request timeout exceeded"
            : "Processing failed: " + cut(f.detail()),
        null);
  }

  /** The batch item of a signal that failed validation. */
  static BatchResponse.Item invalid(String reason) {
    return new BatchResponse.Item(
        "rejected",
        "",
        "Signal validation failed",
        "Signal validation failed: " + cut(reason),
        null);
  }

  static BatchResponse batchBody(List<BatchResponse.Item> items) {
    return new BatchResponse(
        items,
        new BatchResponse.Summary(
            items.size(),
            count(items, "created"),
            count(items, "duplicate"),
            count(items, "resolved"),
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
