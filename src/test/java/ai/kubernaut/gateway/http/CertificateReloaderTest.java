package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.testing.SelfSignedCertificate;
import io.helidon.common.tls.Tls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateReloaderTest {

  @TempDir Path dir;

  @Test
  void aReplacementThatHasExpiredOrIsNotYetValidIsNotServed() throws Exception {
    Path certs = dir.resolve("certs");
    SelfSignedCertificate.issue(dir, "current").writePem(certs);
    List<Tls> reloaded = new ArrayList<>();
    try (CertificateReloader reloader =
        CertificateReloader.start(
            certs, ServingCertificate.load(certs), Duration.ofHours(1), reloaded::add)) {

      SelfSignedCertificate.issue(dir, "expired", "-10d", 2).writePem(certs);
      reloader.check();
      SelfSignedCertificate.issue(dir, "future", "+10d", 2).writePem(certs);
      reloader.check();
      assertThat(reloaded).isEmpty();

      SelfSignedCertificate.issue(dir, "renewed").writePem(certs);
      reloader.check();
      assertThat(reloaded).hasSize(1);
    }
  }
}
