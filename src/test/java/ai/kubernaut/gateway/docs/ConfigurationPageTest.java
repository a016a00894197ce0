package ai.kubernaut.gateway.docs;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The configuration page lists exactly the keys the gateway reads. */
class ConfigurationPageTest {

  private static final Pattern KEY = Pattern.compile("`([A-Za-z][A-Za-z0-9.]*)`");

  @Test
  void everyKeyTheGatewayReadsIsDocumentedAndEveryDocumentedKeyIsRead() throws IOException {
    Set<String> documented = documentedKeys(Path.of("docs/configuration.md"));
    Set<String> read = new ConfigLoader(Map.of(), null).load(Optional.empty()).source().readKeys();

    assertThat(read).as("keys read but not in docs/configuration.md").isSubsetOf(documented);
    assertThat(documented)
        .as("keys in docs/configuration.md the gateway never reads")
        .isSubsetOf(read);
  }

  /**
   * The keys in the first column of the page's tables; {@code a.b.c} / {@code d} names {@code
   * a.b.c} and {@code a.b.d}.
   */
  static Set<String> documentedKeys(Path page) throws IOException {
    Set<String> keys = new LinkedHashSet<>();
    for (String line : Files.readAllLines(page)) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String firstCell = line.substring(1, line.indexOf('|', 1));
      String prefix = "";
      Matcher m = KEY.matcher(firstCell);
      while (m.find()) {
        String key = m.group(1);
        if (key.contains(".")) {
          prefix = key.substring(0, key.lastIndexOf('.') + 1);
          keys.add(key);
        } else {
          keys.add(prefix + key);
        }
      }
    }
    return keys;
  }
}
