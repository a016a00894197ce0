package ai.kubernaut.gateway.metrics;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A counter rendered straight into the Prometheus text format. The Prometheus Java client reserves
 * the {@code _created} suffix and would rename {@code gateway_crds_created_total}; dashboards built
 * for the Go Gateway need that exact name, so this one counter bypasses the client.
 */
final class TextCounter {

  private final String name;
  private final String help;
  private final List<String> labelNames;
  private final Map<List<String>, LongAdder> series = new ConcurrentHashMap<>();

  TextCounter(String name, String help, List<String> labelNames) {
    this.name = name;
    this.help = help;
    this.labelNames = List.copyOf(labelNames);
  }

  void increment(String... labelValues) {
    series.computeIfAbsent(List.of(labelValues), k -> new LongAdder()).increment();
  }

  void render(StringBuilder out) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    Map<String, Long> lines = new TreeMap<>();
    series.forEach((values, adder) -> lines.put(labels(values), adder.sum()));
    lines.forEach(
        (labels, value) ->
            out.append(name).append(labels).append(' ').append(value).append(".0\n"));
  }

  private String labels(List<String> values) {
    StringBuilder text = new StringBuilder("{");
    for (int i = 0; i < labelNames.size(); i++) {
      if (i > 0) {
        text.append(',');
      }
      text.append(labelNames.get(i)).append("=\"").append(escape(values.get(i))).append('"');
    }
    return text.append('}').toString();
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
