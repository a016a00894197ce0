/** fabric8 adapters: owner resolution, scope, and the RemediationRequest store. */
package ai.kubernaut.gateway.kube;
