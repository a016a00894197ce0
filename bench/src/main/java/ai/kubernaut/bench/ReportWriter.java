package ai.kubernaut.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Writes the Markdown tables of a run: each line printed as it comes and the whole appended to the
 * report file at the end.
 */
final class ReportWriter {

  private static final String TRAFFIC_HEADER =
      "| Run | Load | Signals/s | p50 ms | p95 ms | p99 ms | max ms | Errors | New % | API"
          + " req/signal | API writes/s | Gateway CPU s/1k signals | API server CPU s/1k signals"
          + " | Heap MiB | RSS MiB |\n"
          + "|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|";

  private final Path file;
  private final List<String> lines = new ArrayList<>();

  ReportWriter(Path file) {
    this.file = file;
  }

  void section(String title, String apiServer) {
    line("");
    line("### " + title);
    line("");
    line("API server: " + apiServer + ".");
    line("");
  }

  /** The traffic table, then each gateway row's ratios to the Go-protocol baseline row. */
  void traffic(List<Phase> rows) {
    line(TRAFFIC_HEADER);
    for (Phase p : rows) {
      Histogram h = p.result().latencyMicros();
      line(
          String.format(
              "| %s | %s | %.0f | %.2f | %.2f | %.2f | %.1f | %s | %.1f | %.2f | %.0f | %s | %.2f |"
                  + " %s | %s |",
              p.who(),
              p.load(),
              p.result().rate(),
              ms(h, 50),
              ms(h, 95),
              ms(h, 99),
              h.getMaxValue() / 1000.0,
              p.result().errorsByStatus(),
              p.newPercent(),
              p.perSignal(),
              p.writesPerSecond(),
              orDash("%.2f", p.cpuPer1k()),
              p.apiCpuPer1k(),
              orDash("%.0f", p.heapMiB()),
              orDash("%.0f", p.rssMiB())));
    }
    line("");
    Phase base = rows.stream().filter(Phase::baseline).findFirst().orElse(null);
    if (base != null && base.result().rate() > 0) {
      line(
          "Ratios to the Go-protocol baseline (same API server; the baseline runs closed loop with"
              + " the same number of connections as the closed-loop gateway run):");
      line("");
      for (Phase p : rows) {
        if (p != base) {
          line(
              String.format(
                  "- %s, %s: signals/s ×%.2f (closed-loop comparison is the meaningful one), API"
                      + " requests per signal ×%.2f (%.2f vs %.2f)",
                  p.who(),
                  p.load(),
                  p.result().rate() / base.result().rate(),
                  p.perSignal() / Math.max(1e-9, base.perSignal()),
                  p.perSignal(),
                  base.perSignal()));
        }
      }
      line("");
    }
  }

  /** API requests per signal by kind, one line per phase. */
  void apiDetail(List<Phase> rows) {
    line("API requests per signal by kind:");
    line("");
    for (Phase p : rows) {
      StringBuilder sb = new StringBuilder();
      long n = Math.max(1, p.result().completed());
      p.apiCounts()
          .forEach(
              (k, v) -> {
                if (!sb.isEmpty()) {
                  sb.append(", ");
                }
                sb.append(String.format("%s %.3f", k, (double) v / n));
              });
      line(
          "- "
              + p.who()
              + " ("
              + p.result().completed()
              + " signals, "
              + p.created()
              + " new): "
              + (sb.isEmpty() ? "none" : sb));
    }
    line("");
  }

  /** A table with a header row and string cells. */
  void table(List<String> header, String alignment, List<List<String>> rows) {
    line("| " + String.join(" | ", header) + " |");
    line(alignment);
    rows.forEach(r -> line("| " + String.join(" | ", r) + " |"));
  }

  void line(String line) {
    System.out.println(line);
    lines.add(line);
  }

  /** Appends what was written to the report file. */
  void flush() {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(
          file,
          String.join("\n", lines) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.err.println("cannot write " + file + ": " + e);
    }
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }

  private static String orDash(String format, double value) {
    return Double.isNaN(value) ? "–" : String.format(format, value);
  }
}
