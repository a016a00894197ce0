package ai.kubernaut.gateway.signal;

/** One signal of a request as an adapter parsed it: usable, or invalid with the reason. */
public sealed interface ParsedSignal {

  /** A well-formed signal ready for processing. */
  record Accepted(InboundSignal signal) implements ParsedSignal {}

  /** A signal that can never be processed; {@code reason} says why. */
  record Invalid(String reason) implements ParsedSignal {}
}
