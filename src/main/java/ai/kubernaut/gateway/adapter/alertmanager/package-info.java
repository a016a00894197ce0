/** Adapter for Prometheus Alertmanager webhooks (version 4). */
package ai.kubernaut.gateway.adapter.alertmanager;
