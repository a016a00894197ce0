package ai.kubernaut.gateway.adapter.kubeevent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A Kubernetes Event in either shape: core/v1 ({@code involvedObject}, {@code message}, {@code
 * firstTimestamp}/{@code lastTimestamp}) or events.k8s.io/v1 ({@code regarding}, {@code note},
 * {@code eventTime}, {@code series}, {@code reportingController}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record EventMessage(
    String apiVersion,
    String type,
    String reason,
    String message,
    String note,
    ObjectReference involvedObject,
    ObjectReference regarding,
    String firstTimestamp,
    String lastTimestamp,
    String eventTime,
    String deprecatedFirstTimestamp,
    String deprecatedLastTimestamp,
    Series series,
    Integer count,
    String reportingController) {

  /** The object an event is about. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record ObjectReference(
      String kind, String namespace, String name, String uid, String apiVersion) {}

  /** Repeats of an events.k8s.io/v1 event. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Series(Integer count, String lastObservedTime) {}

  ObjectReference subject() {
    return involvedObject != null ? involvedObject : regarding;
  }
}
