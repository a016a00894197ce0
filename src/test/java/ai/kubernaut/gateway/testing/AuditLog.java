package ai.kubernaut.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;

/**
 * The real API server's audit log, read as the requests it served: one entry per request (audit
 * ID), whatever stages were logged for it. Counting at the server sees every request a client
 * sends, retries and informer traffic included.
 */
public final class AuditLog {

  /** One request as the server saw it. */
  public record Request(
      String verb, String uri, String user, String resource, String subresource, int code) {

    public boolean isWatch() {
      return verb.equals("watch");
    }

    /** Whether it addressed RemediationRequests (or their status) at all. */
    public boolean isRemediationRequest() {
      return resource.equals("remediationrequests");
    }

    public boolean isWrite() {
      return !verb.equals("get") && !verb.equals("list") && !verb.equals("watch");
    }

    /** {@code verb resource[/subresource] code}, as tests list and count requests. */
    public String line() {
      return verb + " " + resource + (subresource.isEmpty() ? "" : "/" + subresource) + " " + code;
    }
  }

  private final Path file;
  private final RealApiServer server;

  AuditLog(Path file, RealApiServer server) {
    this.file = file;
    this.server = server;
  }

  /**
   * The end of the log's last complete line; requests after it are those {@link #requestsSince}
   * returns. The API server may be half way through writing a line: that line is an earlier
   * request's, and a mark inside it would make the reader start mid-line.
   */
  public long mark() {
    if (!Files.exists(file)) {
      return 0;
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      byte[] block = new byte[64 * 1024];
      for (long end = in.length(); end > 0; ) {
        int length = (int) Math.min(block.length, end);
        long start = end - length;
        in.seek(start);
        in.readFully(block, 0, length);
        for (int i = length - 1; i >= 0; i--) {
          if (block[i] == '\n') {
            return start + i + 1;
          }
        }
        end = start;
      }
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The requests {@code user} made since {@code mark}, once all of them are in the log: a sentinel
   * request sent now as the same user must appear first, so requests that finished before this call
   * are not missed. The sentinel itself is not returned.
   */
  public List<Request> requestsSince(long mark, String user) {
    String sentinel = "audit-sentinel-" + UUID.randomUUID();
    try (KubernetesClient client = server.clientAs(user)) {
      client.namespaces().withName(sentinel).get();
    }
    List<Request> requests = new ArrayList<>();
    Awaitility.await("audit event of " + sentinel)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              requests.clear();
              requests.addAll(read(mark));
              return requests.stream().anyMatch(r -> r.uri().contains(sentinel));
            });
    return requests.stream()
        .filter(r -> r.user().equals(user))
        .filter(r -> !r.uri().contains(sentinel))
        .toList();
  }

  private List<Request> read(long mark) throws IOException {
    Map<String, Request> byAuditId = new LinkedHashMap<>();
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      in.seek(mark);
      byte[] rest = new byte[(int) (in.length() - mark)];
      in.readFully(rest);
      String text = new String(rest, StandardCharsets.UTF_8);
      int end = text.lastIndexOf('\n');
      if (end < 0) {
        return List.of();
      }
      for (String line : text.substring(0, end).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode event = GatewayHarness.parse(line);
        byAuditId.putIfAbsent(
            event.path("auditID").asText(),
            new Request(
                event.path("verb").asText(),
                event.path("requestURI").asText(),
                event.path("user").path("username").asText(),
                event.path("objectRef").path("resource").asText(),
                event.path("objectRef").path("subresource").asText(),
                event.path("responseStatus").path("code").asInt()));
      }
    }
    return List.copyOf(byAuditId.values());
  }
}
