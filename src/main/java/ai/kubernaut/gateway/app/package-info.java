/** Composition root and process lifecycle: command line, cluster selection, start-up and stop. */
package ai.kubernaut.gateway.app;
