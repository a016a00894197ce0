package ai.kubernaut.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class IssuerKeysTest {

  static final Instant NOW = Instant.parse("2026-12-05T23:00:00Z");

  final IssuerKeyPair rsa = IssuerKeyPair.rsa("rsa-1");
  final IssuerKeyPair ec = IssuerKeyPair.ec("ec-1");
  final AtomicReference<String> published = new AtomicReference<>(IssuerKeyPair.jwks(rsa, ec));
  final AtomicInteger fetches = new AtomicInteger();
  Instant now = NOW;
  final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };
  final IssuerKeys keys =
      new IssuerKeys(
          () -> {
            fetches.incrementAndGet();
            return new IssuerKeys.Documents(IssuerKeyPair.ISSUER, published.get());
          },
          clock,
          Duration.ofSeconds(30));

  @Test
  void tokensTheIssuerSignedWithRsaOrEcKeysAreRecognised() {
    assertThat(keys.signedAndUnexpired(rsa.token("system:serviceaccount:a:b", NOW.plusSeconds(60))))
        .isTrue();
    assertThat(keys.signedAndUnexpired(ec.token("system:serviceaccount:a:b", NOW.plusSeconds(60))))
        .isTrue();
    assertThat(fetches).hasValue(1);
  }

  @Test
  void expiredForgedOrForeignTokensAreNot() {
    String good = rsa.token("system:serviceaccount:a:b", NOW.plusSeconds(60));
    String[] parts = good.split("\\.");
    String otherClaims = rsa.token("system:serviceaccount:a:admin", NOW.plusSeconds(60));

    assertThat(keys.signedAndUnexpired(rsa.token("s", NOW.minusSeconds(1)))).isFalse();
    assertThat(
            keys.signedAndUnexpired(parts[0] + "." + otherClaims.split("\\.")[1] + "." + parts[2]))
        .as("claims swapped under another token's signature")
        .isFalse();
    assertThat(keys.signedAndUnexpired(IssuerKeyPair.rsa("rsa-1").token("s", NOW.plusSeconds(60))))
        .as("signed by a key of the same id that the issuer does not hold")
        .isFalse();
    assertThat(
            keys.signedAndUnexpired(
                rsa.token("s", NOW.plusSeconds(60), "https://attacker.example")))
        .isFalse();
    assertThat(keys.signedAndUnexpired("junk-token")).isFalse();
    assertThat(keys.signedAndUnexpired(parts[0] + "." + parts[1] + ".")).isFalse();
  }

  @Test
  void anotherSpellingOfASignedTokensBytesIsNotRecognised() {
    String good = rsa.token("system:serviceaccount:a:b", NOW.plusSeconds(60));
    String[] parts = good.split("\\.");
    String signature = parts[2];
    // a 256-byte RSA signature leaves 4 unused bits in its last base64 character
    char last = signature.charAt(signature.length() - 1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char sibling = alphabet.charAt(alphabet.indexOf(last) ^ 1);
    String respelled = signature.substring(0, signature.length() - 1) + sibling;

    assertThat(keys.signedAndUnexpired(good)).isTrue();
    assertThat(keys.signedAndUnexpired(parts[0] + "." + parts[1] + "." + respelled)).isFalse();
    assertThat(keys.signedAndUnexpired(parts[0] + "." + parts[1] + "." + signature + "=="))
        .isFalse();
  }

  @Test
  void aRotatedKeyIsFetchedWhenItsIdAppearsButMadeUpIdsCannotForceFetches() {
    assertThat(keys.signedAndUnexpired(rsa.token("s", NOW.plusSeconds(600)))).isTrue();
    IssuerKeyPair rotated = IssuerKeyPair.rsa("rsa-2");
    published.set(IssuerKeyPair.jwks(rsa, rotated));
    now = NOW.plusSeconds(31);

    String madeUp = IssuerKeyPair.ec("made-up").token("s", NOW.plusSeconds(600));
    for (int i = 0; i < 100; i++) {
      assertThat(keys.signedAndUnexpired(madeUp)).isFalse();
    }
    assertThat(fetches).as("one fetch at first use, one for the first unknown id").hasValue(2);
    assertThat(keys.signedAndUnexpired(rotated.token("s", NOW.plusSeconds(600))))
        .as("the rotated key arrived with the fetch an unknown id caused")
        .isTrue();
    assertThat(fetches).hasValue(2);
  }

  @Test
  void keysThatCannotBeFetchedLeaveEveryTokenUnrecognised() {
    IssuerKeys unreachable =
        new IssuerKeys(
            () -> {
              throw new IOException("HTTP 403");
            },
            clock,
            Duration.ofSeconds(30));

    assertThat(unreachable.signedAndUnexpired(rsa.token("s", NOW.plusSeconds(60)))).isFalse();
  }
}
