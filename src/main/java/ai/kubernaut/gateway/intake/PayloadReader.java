package ai.kubernaut.gateway.intake;

import ai.kubernaut.gateway.config.GatewayConfig;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * Reads a request body, in one pass, into the JSON object a source expects. The parser enforces the
 * nesting-depth, string-length and number-length limits; syntax errors, shape errors (naming the
 * offending field, e.g. {@code alerts[0].labels}) and limit violations are told apart.
 */
public final class PayloadReader {

  /** What reading a body gave. */
  public sealed interface Read<P> {}

  /** The body as the source's object. */
  public record Payload<P>(P value) implements Read<P> {}

  /** The body breaks a parser limit. */
  public record OverLimit<P>(Rejection rejection) implements Read<P> {}

  /** The body is not the object the source expects; {@code detail} says where and why. */
  public record Malformed<P>(String detail) implements Read<P> {}

  private static final int MAX_NUMBER_LENGTH = 64;

  private final GatewayConfig.Limits limits;
  private final ObjectMapper json;

  public PayloadReader(GatewayConfig.Limits limits) {
    // requests are read on virtual threads: a per-thread buffer pool would reuse nothing
    this(
        limits,
        JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());
  }

  /**
   * A reader parsing with {@code factory}, which becomes the reader's own: the limits are set on
   * it.
   */
  public PayloadReader(GatewayConfig.Limits limits, JsonFactory factory) {
    this.limits = limits;
    factory.setStreamReadConstraints(
        StreamReadConstraints.builder()
            .maxNestingDepth(limits.maxDepth())
            .maxStringLength(limits.maxStringLength())
            .maxNameLength(limits.maxStringLength())
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .build());
    this.json =
        JsonMapper.builder(factory)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
            .build();
  }

  /**
   * Reads {@code body} as a {@code type}.
   *
   * @param what what the body should be, for details, e.g. "an Alertmanager webhook"
   */
  public <P> Read<P> read(byte[] body, Class<P> type, String what) {
    try (JsonParser parser = json.createParser(body)) {
      return read(parser, type, what);
    } catch (IOException e) {
      return new Malformed<>("unreadable body: " + e.getMessage());
    }
  }

  private <P> Read<P> read(JsonParser parser, Class<P> type, String what) {
    try {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return overLimitFurtherOn(parser, new Malformed<>("body must be " + what + " JSON object"));
      }
      return new Payload<>(json.readValue(parser, type));
    } catch (JacksonException e) {
      return switch (rootCause(e)) {
        case StreamConstraintsException limit -> new OverLimit<>(overLimit(limit));
        case JsonParseException syntax ->
            new Malformed<>("malformed JSON: " + syntax.getOriginalMessage());
        case JsonMappingException shape ->
            overLimitFurtherOn(
                parser,
                new Malformed<>(
                    "invalid " + what + " at " + path(shape) + ": " + shape.getOriginalMessage()));
        default -> new Malformed<>("malformed JSON: " + e.getOriginalMessage());
      };
    } catch (IOException e) {
      return new Malformed<>("unreadable body: " + e.getMessage());
    }
  }

  /**
   * The exception that says what went wrong: a limit or a syntax error the databinding wrapped, or
   * else the shape error itself.
   */
  private static JacksonException rootCause(JacksonException e) {
    Throwable cause = e.getCause();
    while (cause != null) {
      if (cause instanceof StreamConstraintsException || cause instanceof JsonParseException) {
        return (JacksonException) cause;
      }
      cause = cause.getCause();
    }
    return e;
  }

  /**
   * Reads the rest of a body whose shape is wrong: when it also breaks a parser limit further on,
   * the limit is what the sender is told, as for a body of the right shape.
   */
  private <P> Read<P> overLimitFurtherOn(JsonParser parser, Read<P> otherwise) {
    try {
      if (parser.currentToken() != null) {
        decodeStrings(parser);
      }
      while (parser.nextToken() != null) {
        decodeStrings(parser);
      }
      return otherwise;
    } catch (StreamConstraintsException e) {
      return new OverLimit<>(overLimit(e));
    } catch (IOException e) {
      return otherwise;
    }
  }

  /**
   * Decodes the string the parser stands on. Jackson checks a string's length only when it is
   * decoded, and skips a value nobody reads without decoding it.
   */
  private static void decodeStrings(JsonParser parser) throws IOException {
    if (parser.currentToken() == JsonToken.VALUE_STRING) {
      parser.getText();
    }
  }

  private Rejection overLimit(StreamConstraintsException e) {
    String message = String.valueOf(e.getOriginalMessage());
    if (message.contains("nesting depth")) {
      return new Rejection(
          400,
          "nesting_depth",
          "JSON nesting exceeds the limit of " + limits.maxDepth() + " levels");
    }
    if (message.contains("Number value length")) {
      return new Rejection(
          400,
          "number_length",
          "JSON number exceeds the limit of " + MAX_NUMBER_LENGTH + " digits");
    }
    return new Rejection(
        413,
        "string_length",
        "JSON string exceeds the limit of " + limits.maxStringLength() + " characters");
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(
            ref ->
                ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining())
        .replaceFirst("^\\.", "");
  }
}
