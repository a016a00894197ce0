/**
 * The immutable configuration, loaded from the Go Gateway's YAML keys and validated in one pass.
 */
package ai.kubernaut.gateway.config;
