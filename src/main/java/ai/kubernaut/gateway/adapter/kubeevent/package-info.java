/** Adapter for Kubernetes Events, core/v1 and events.k8s.io/v1. */
package ai.kubernaut.gateway.adapter.kubeevent;
