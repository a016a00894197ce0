package ai.kubernaut.gateway.sources.uptime;

import ai.kubernaut.gateway.intake.PayloadLimits;
import ai.kubernaut.gateway.intake.Rejection;
import ai.kubernaut.gateway.intake.ReplayWindow;
import ai.kubernaut.gateway.intake.SignalSource;
import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.InvalidPayloadException;
import ai.kubernaut.gateway.signal.ParsedSignal;
import ai.kubernaut.gateway.signal.ResourceRef;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A signal source that exists only in the tests: it proves that a source is one package plus one
 * registration line, and that the route, limits, freshness, redelivery memory and audit follow.
 */
final class UptimeCheckSource implements SignalSource<UptimeCheck> {

  static final String PATH = "/api/v1/signals/uptime-check";
  static final String NAME = "uptime-checks";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String path() {
    return PATH;
  }

  @Override
  public Class<UptimeCheck> payloadType() {
    return UptimeCheck.class;
  }

  @Override
  public String description() {
    return "an uptime check report";
  }

  @Override
  public Optional<Rejection> exceedsLimits(UptimeCheck report, PayloadLimits limits) {
    return limits.labels(report.labels(), "labels");
  }

  @Override
  public Optional<Rejection> stale(UptimeCheck report, ReplayWindow window) {
    Optional<Instant> checkedAt = ReplayWindow.time(report.checkedAt());
    if (checkedAt.isEmpty()) {
      return ReplayWindow.stale("uptime check missing checkedAt");
    }
    if (window.tooOld(checkedAt.get()) || window.inFuture(checkedAt.get())) {
      return ReplayWindow.stale("uptime check checkedAt outside the replay window");
    }
    return Optional.empty();
  }

  @Override
  public List<ParsedSignal> signals(UptimeCheck report, byte[] body, Instant receivedAt) {
    if (report.target() == null) {
      throw new InvalidPayloadException("an uptime check report needs a target");
    }
    if (report.check() == null || report.check().isBlank()) {
      return List.of(new ParsedSignal.Invalid("check is required"));
    }
    if (!"down".equals(report.status())) {
      return List.of(new ParsedSignal.Invalid("only a check that is down is a signal"));
    }
    UptimeCheck.Target target = report.target();
    return List.of(
        new ParsedSignal.Accepted(
            new InboundSignal(
                NAME,
                report.check(),
                "critical",
                "",
                List.of(new ResourceRef(target.kind(), target.name(), target.namespace(), "")),
                report.labels() == null ? Map.of() : report.labels(),
                Map.of(),
                ReplayWindow.time(report.checkedAt()).orElse(receivedAt),
                receivedAt,
                new String(body, StandardCharsets.UTF_8))));
  }
}
