/** The Alertmanager webhook source (version 4; Grafana Alerting's webhook shares it). */
package ai.kubernaut.gateway.adapter.alertmanager;
