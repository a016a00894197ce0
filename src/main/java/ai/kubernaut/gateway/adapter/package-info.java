/** The signal sources: each package is one source, from its request body to signals. */
package ai.kubernaut.gateway.adapter;
