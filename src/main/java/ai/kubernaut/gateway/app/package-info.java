/** Composition root and process lifecycle: command line, cluster selection, embedded mode. */
package ai.kubernaut.gateway.app;
