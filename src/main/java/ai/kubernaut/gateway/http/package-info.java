/** The HTTP listeners: signal routes, RFC 7807 errors, health, readiness and metrics. */
package ai.kubernaut.gateway.http;
