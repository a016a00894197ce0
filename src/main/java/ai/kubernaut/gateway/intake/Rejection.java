package ai.kubernaut.gateway.intake;

/**
 * Why a request is refused before its signals are parsed.
 *
 * @param status the HTTP status (400 or 413)
 * @param reason a bounded name for logs and metrics
 * @param detail the problem detail, naming the rule or limit
 */
public record Rejection(int status, String reason, String detail) {}
