package ai.kubernaut.gateway.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pipeline's last stages: the audit trail decides whether an outcome may be answered. */
class SignalProcessorTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
  private static final RequestContext CONTEXT =
      RequestContext.unauthenticated("req-1", "prometheus", CLOCK.instant().plusSeconds(15));

  private final InMemoryIncidentStore store = new InMemoryIncidentStore();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final List<Outcome> observed = new ArrayList<>();
  private final List<Outcome> audited = new ArrayList<>();
  private final AtomicInteger batchesHandedOff = new AtomicInteger();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void aRecordedSignalIsAuditedThenObservedAsItIsAnswered() {
    Outcome outcome =
        processor((o, context) -> audited.add(o)).processUntilDeadline(inbound(), CONTEXT);

    assertThat(outcome).isInstanceOf(Outcome.Created.class);
    assertThat(audited).containsExactly(outcome);
    assertThat(observed).containsExactly(outcome);
  }

  @Test
  void aSignalWhoseAuditTrailCannotBeRecordedFailsSoTheSenderRetries() {
    AuditTrail failing =
        (outcome, context) -> {
          throw new AuditNotRecordedException(
              "audit events could not be written to the spool",
              new IOException("No space left on device"));
        };

    Outcome outcome = processor(failing).processUntilDeadline(inbound(), CONTEXT);

    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Failed.class,
            f -> {
              assertThat(f.cause()).isEqualTo(Outcome.FailureCause.AUDIT_UNAVAILABLE);
              assertThat(f.detail()).contains("could not be written to the spool");
              assertThat(f.signal()).isPresent();
            });
    assertThat(observed)
        .as("metrics and logs see what the sender is told")
        .containsExactly(outcome);
  }

  @Test
  void aBugInTheAuditTrailIsAFailureNotAnExceptionalCompletion() {
    AuditTrail broken =
        (outcome, context) -> {
          throw new IllegalStateException("bug");
        };

    var pending = processor(broken).process(inbound(), CONTEXT);

    assertThat(pending.join()).isInstanceOf(Outcome.Failed.class);
    assertThat(pending).isCompletedWithValueMatching(o -> !o.settled());
  }

  @Test
  void anErrorInTheAuditTrailNeverAnswersTheUnauditedSuccess() {
    AuditTrail overflowing =
        (outcome, context) -> {
          throw new StackOverflowError();
        };

    Outcome outcome = processor(overflowing).processUntilDeadline(inbound(), CONTEXT);

    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Failed.class,
            f -> assertThat(f.cause()).isEqualTo(Outcome.FailureCause.AUDIT_UNAVAILABLE));
  }

  @Test
  void theOnlySignalOfARequestIsRecordedAndAuditedOnTheCallingThread() {
    List<Thread> auditedOn = new ArrayList<>();
    Outcome outcome =
        processor(
                (o, context) -> {
                  auditedOn.add(Thread.currentThread());
                  audited.add(o);
                })
            .processAlone(inbound(), CONTEXT);

    assertThat(outcome).isInstanceOf(Outcome.Created.class);
    assertThat(batchesHandedOff).as("batches run on another thread").hasValue(0);
    assertThat(auditedOn).containsExactly(Thread.currentThread());
    assertThat(observed).containsExactly(outcome);
  }

  @Test
  void anErrorInTheAuditTrailOfTheOnlySignalNeverAnswersTheUnauditedSuccess() {
    AuditTrail overflowing =
        (outcome, context) -> {
          throw new StackOverflowError();
        };

    Outcome outcome = processor(overflowing).processAlone(inbound(), CONTEXT);

    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Failed.class,
            f -> assertThat(f.cause()).isEqualTo(Outcome.FailureCause.AUDIT_UNAVAILABLE));
  }

  @Test
  void aFailingObserverDoesNotChangeTheAnswer() {
    SignalProcessor processor =
        new SignalProcessor(
            inbound -> ResourceRef.of("Deployment", "demo", "checkout"),
            owner -> true,
            recorder(),
            (outcome, context) -> audited.add(outcome),
            (outcome, context) -> {
              throw new IllegalStateException("metrics bug");
            },
            CLOCK,
            "",
            SignalProcessor.ResolvedAlerts.IGNORE);

    assertThat(processor.processUntilDeadline(inbound(), CONTEXT))
        .isInstanceOf(Outcome.Created.class);
  }

  private SignalProcessor processor(AuditTrail audit) {
    return new SignalProcessor(
        inbound -> ResourceRef.of("Deployment", "demo", "checkout"),
        owner -> true,
        recorder(),
        audit,
        (outcome, context) -> observed.add(outcome),
        CLOCK,
        "",
        SignalProcessor.ResolvedAlerts.IGNORE);
  }

  private IncidentRecorder recorder() {
    return new IncidentRecorder(
        store,
        CLOCK,
        new IncidentRecorder.GroupCommit(
            task -> {
              batchesHandedOff.incrementAndGet();
              executor.execute(task);
            },
            500,
            () -> {},
            size -> {}));
  }

  private static InboundSignal inbound() {
    return new InboundSignal(
        "prometheus",
        "KubePodCrashLooping",
        "critical",
        "",
        List.of(ResourceRef.of("Pod", "demo", "checkout-abc")),
        Map.of("alertname", "KubePodCrashLooping"),
        Map.of(),
        CLOCK.instant(),
        CLOCK.instant(),
        "{}");
  }
}
