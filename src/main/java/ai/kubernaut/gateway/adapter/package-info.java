/** Adapters from signal sources' request bodies to signals, and what they share. */
package ai.kubernaut.gateway.adapter;
