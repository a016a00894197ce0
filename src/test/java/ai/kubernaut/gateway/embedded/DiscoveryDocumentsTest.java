package ai.kubernaut.gateway.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DiscoveryDocumentsTest {

  /**
   * Each line is a path and the document fabric8's typed discovery model wrote for it, with two
   * resources added as below (one in a new group, one in an existing group).
   */
  private static final String FIXTURE = "/fixtures/embedded-discovery-documents.txt";

  @Test
  void theDocumentsAreByteForByteTheOnesTheTypedModelWrote() throws IOException {
    DiscoveryDocuments documents = new DiscoveryDocuments();
    documents.add("example.com", "v1", "widgets", "widget", "Widget", true);
    documents.add("apps", "v1", "gizmos", "gizmo", "Gizmo", false);

    String fixture;
    try (InputStream in = getClass().getResourceAsStream(FIXTURE)) {
      fixture = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (String line : fixture.lines().toList()) {
      String path = line.substring(0, line.indexOf(' '));
      assertThat(documents.find(path)).as(path).contains(line.substring(path.length() + 1));
    }
    assertThat(fixture.lines()).hasSize(20);
  }
}
