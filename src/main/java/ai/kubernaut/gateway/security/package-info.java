/**
 * Sender security without HTTP types: who a bearer token belongs to and whether it may send signals
 * (cached), which peers may name the client address, how fresh a signal must be, and the bounds a
 * payload's shape must keep.
 */
package ai.kubernaut.gateway.security;
