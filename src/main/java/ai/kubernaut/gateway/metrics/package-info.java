/** Prometheus metrics, named as the Go Gateway names them. */
package ai.kubernaut.gateway.metrics;
