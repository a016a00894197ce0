/** OpenTelemetry tracing: off unless the environment or the configuration names an exporter. */
package ai.kubernaut.gateway.telemetry;
