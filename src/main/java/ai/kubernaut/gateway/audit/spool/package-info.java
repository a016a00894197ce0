/**
 * A durable, bounded, append-only log of audit events on local disk: length- and checksum-framed
 * records in rolled segment files, a group-committed fsync, and an acknowledgement watermark below
 * which segments are deleted.
 */
package ai.kubernaut.gateway.audit.spool;
