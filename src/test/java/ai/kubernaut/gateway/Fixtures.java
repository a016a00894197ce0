package ai.kubernaut.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads payload fixtures from {@code src/test/resources/fixtures}. */
public final class Fixtures {

  private Fixtures() {}

  public static byte[] bytes(String path) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(String path) {
    return new String(bytes(path), StandardCharsets.UTF_8);
  }

  /**
   * The firing-pod alert in Alertmanager notification {@code notification} (its own group key), so
   * no two notifications are redeliveries of each other.
   */
  public static String firingPodNotification(int notification) {
    return text("alertmanager/firing-pod.json")
        .replace(
            "\"truncatedAlerts\": 0",
            "\"truncatedAlerts\": 0, \"groupKey\": \"n" + notification + "\"")
        .replace("\"groupKey\": \"{}", "\"groupKeyOriginal\": \"{}");
  }
}
