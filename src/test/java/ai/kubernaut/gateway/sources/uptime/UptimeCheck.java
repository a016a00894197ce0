package ai.kubernaut.gateway.sources.uptime;

import java.util.Map;

/**
 * A made-up uptime checker's report: a check of one workload went down (or came back up).
 *
 * @param status {@code down} or {@code up}
 * @param checkedAt when the check ran, RFC 3339
 */
record UptimeCheck(
    String check, String status, String checkedAt, Target target, Map<String, String> labels) {

  /** The workload the check probes. */
  record Target(String kind, String name, String namespace) {}
}
