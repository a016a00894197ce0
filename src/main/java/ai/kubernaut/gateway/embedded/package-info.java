/**
 * Embedded mode's in-process Kubernetes API: fabric8's mock server in CRUD mode with discovery
 * documents, printer-column tables and a seeded demo workload, so {@code java -jar} runs without a
 * cluster. Tests reuse its discovery dispatcher for their own mock clusters.
 */
package ai.kubernaut.gateway.embedded;
