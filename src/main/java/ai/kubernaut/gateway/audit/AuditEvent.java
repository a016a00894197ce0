package ai.kubernaut.gateway.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** The DataStorage audit envelope, one per recorded decision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEvent(
    @JsonProperty("version") String version,
    @JsonProperty("event_timestamp") String eventTimestamp,
    @JsonProperty("event_category") String eventCategory,
    @JsonProperty("event_type") String eventType,
    @JsonProperty("event_action") String eventAction,
    @JsonProperty("event_outcome") String eventOutcome,
    @JsonProperty("actor_type") String actorType,
    @JsonProperty("actor_id") String actorId,
    @JsonProperty("resource_type") String resourceType,
    @JsonProperty("resource_id") String resourceId,
    @JsonProperty("correlation_id") String correlationId,
    @JsonProperty("namespace") String namespace,
    @JsonProperty("cluster_id") String clusterId,
    @JsonProperty("event_data") Map<String, Object> eventData) {}
