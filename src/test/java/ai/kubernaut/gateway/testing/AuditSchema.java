package ai.kubernaut.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON Schema of the gateway's audit events (envelope and payloads), written from the
 * DataStorage contract and kept in {@code src/test/resources/audit}. Every event a test produces is
 * checked against it.
 */
public final class AuditSchema {

  private static final Schema SCHEMA = load();

  private AuditSchema() {}

  /** Why {@code event} does not match the schema; empty when it does. */
  public static List<String> problems(JsonNode event) {
    return SCHEMA.validate(event).stream().map(AuditSchema::describe).toList();
  }

  /** Fails with every schema violation of {@code event}. */
  public static JsonNode requireValid(JsonNode event) {
    List<String> problems = problems(event);
    if (!problems.isEmpty()) {
      throw new AssertionError("audit event violates the schema: " + problems + "\n" + event);
    }
    return event;
  }

  private static String describe(Error error) {
    return error.getInstanceLocation() + ": " + error.getMessage();
  }

  private static Schema load() {
    try (InputStream in =
        AuditSchema.class.getResourceAsStream("/audit/gateway-audit-event.schema.json")) {
      if (in == null) {
        throw new IllegalStateException("audit schema resource is missing");
      }
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
