package ai.kubernaut.gateway.http;

import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a replaced certificate without a restart. It compares the content of {@code tls.crt} and
 * {@code tls.key} on every poll instead of watching modification times: a Kubernetes Secret volume
 * swaps a {@code ..data} symlink, which changes neither file's own timestamp. A new pair that
 * cannot be loaded, or whose certificate has expired or is not yet valid, is logged once and the
 * current certificate stays in service; a not-yet-valid one is tried again until it is valid.
 */
public final class CertificateReloader implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CertificateReloader.class);

  private final Path dir;
  private final Consumer<Tls> reload;
  private final ScheduledExecutorService poller;
  private ServingCertificate serving;
  private byte[] lastAttempt;
  private String lastRefusal;

  private CertificateReloader(Path dir, ServingCertificate serving, Consumer<Tls> reload) {
    this.dir = dir;
    this.serving = serving;
    this.reload = reload;
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("certificate-reloader").factory());
  }

  /** Polls {@code dir} every {@code interval}, handing a changed valid pair to {@code reload}. */
  public static CertificateReloader start(
      Path dir, ServingCertificate serving, Duration interval, Consumer<Tls> reload) {
    CertificateReloader reloader = new CertificateReloader(dir, serving, reload);
    reloader.poller.scheduleWithFixedDelay(
        reloader::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return reloader;
  }

  void check() {
    byte[] digest;
    try {
      digest = ServingCertificate.digestOf(dir);
    } catch (IOException e) {
      log.debug("certificate files in {} unreadable; trying again", dir, e);
      return;
    }
    if (serving.sameFiles(digest) || Arrays.equals(digest, lastAttempt)) {
      return;
    }
    lastAttempt = digest;
    try {
      ServingCertificate next = ServingCertificate.load(dir);
      var invalid = next.invalidAt(java.time.Instant.now());
      if (invalid.isPresent()) {
        if (!invalid.get().equals(lastRefusal)) {
          log.error("keeping the current certificate: {} in {}", invalid.get(), dir);
          lastRefusal = invalid.get();
        }
        if (invalid.get().contains("not valid before")) {
          lastAttempt = null;
        }
        return;
      }
      reload.accept(next.tls());
      serving = next;
      log.info("serving the new certificate from {}", dir);
    } catch (ServingCertificate.InvalidException | RuntimeException e) {
      log.error("keeping the current certificate: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
