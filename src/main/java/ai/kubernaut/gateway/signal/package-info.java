/**
 * The domain: signals, fingerprints, the dedup decision and the recording pipeline, behind small
 * ports. Nothing here imports fabric8, HTTP or metrics libraries.
 */
package ai.kubernaut.gateway.signal;
