/** The Kubernetes Event source, core/v1 and events.k8s.io/v1. */
package ai.kubernaut.gateway.adapter.kubeevent;
