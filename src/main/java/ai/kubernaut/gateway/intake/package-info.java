/**
 * Intake: what happens to a request body between HTTP and the signal pipeline. Each signal source
 * is one {@link ai.kubernaut.gateway.intake.SignalSource} (route, payload type, limits, freshness,
 * adapter); its body is parsed once and shared by those checks and the adapter. The intake step
 * then recognises redeliveries, fans a batch out to the pipeline and maps the outcomes to the one
 * answer the sender gets.
 */
package ai.kubernaut.gateway.intake;
