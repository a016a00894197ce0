/** The audit trail: events in the DataStorage format and where they are written. */
package ai.kubernaut.gateway.audit;
