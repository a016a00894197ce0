package ai.kubernaut.gateway.intake;

import java.util.regex.Pattern;

/**
 * What a problem detail says about a body that could not be parsed: where and roughly why, never
 * the JSON library's own wording with Java type names, nor long runs of the offending input.
 */
final class ParseErrors {

  private static final Pattern INTERNALS =
      Pattern.compile("`|\\bjava\\.|\\bcom\\.fasterxml|Cannot (deserialize|construct)|\\$");

  private ParseErrors() {}

  /** The detail for a parse failure message from an adapter. */
  static String describe(String message) {
    if (message.startsWith("malformed JSON")) {
      return "malformed JSON";
    }
    if (message.startsWith("unreadable body")) {
      return "unreadable body";
    }
    int cause = message.indexOf(": ");
    if (cause > 0 && INTERNALS.matcher(message).find()) {
      return RecordedAnswer.bounded(message.substring(0, cause))
          + ": a value has the wrong type or form";
    }
    return RecordedAnswer.bounded(message);
  }
}
