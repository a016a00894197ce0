package ai.kubernaut.gateway.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SeededGateTest {

  @Test
  void holdsARequestUntilTheSeedingCompletes() throws InterruptedException {
    CompletableFuture<Void> seeded = new CompletableFuture<>();
    SeededGate gate = new SeededGate(seeded, Duration.ofMinutes(1));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread request =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    gate.before(null, null, null);
                  } catch (RuntimeException e) {
                    failure.set(e);
                  }
                });

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> request.getState() == Thread.State.TIMED_WAITING);
    assertThat(request.isAlive()).isTrue();

    seeded.complete(null);
    request.join(Duration.ofSeconds(10));
    assertThat(request.isAlive()).isFalse();
    assertThat(failure.get()).isNull();
  }

  @Test
  void failsARequestWhenTheSeedingFailed() {
    CompletableFuture<Void> seeded =
        CompletableFuture.failedFuture(new IllegalStateException("CRD rejected"));
    SeededGate gate = new SeededGate(seeded, Duration.ofMinutes(1));

    assertThatThrownBy(() -> gate.before(null, null, null))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("could not be seeded")
        .hasRootCauseMessage("CRD rejected");
  }

  @Test
  void failsARequestWhenTheSeedingTakesTooLong() {
    SeededGate gate = new SeededGate(new CompletableFuture<>(), Duration.ofMillis(50));

    assertThatThrownBy(() -> gate.before(null, null, null))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("not seeded within PT0.05S");
  }

  @Test
  void letsRequestsThroughOnceSeeded() {
    SeededGate gate = new SeededGate(CompletableFuture.completedFuture(null), Duration.ZERO);

    gate.before(null, null, null);
  }
}
