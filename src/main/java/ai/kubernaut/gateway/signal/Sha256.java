package ai.kubernaut.gateway.signal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests: fingerprints, cache keys of secrets, change detection of files. */
public final class Sha256 {

  private Sha256() {}

  /** The digest of {@code text} in UTF-8. */
  public static byte[] of(String text) {
    return digest().digest(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The digest of {@code parts}, separated by a zero byte so that no two lists of parts collide.
   */
  public static byte[] ofParts(byte[]... parts) {
    MessageDigest digest = digest();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        digest.update((byte) 0);
      }
      digest.update(parts[i]);
    }
    return digest.digest();
  }

  /** The digest of {@code text} in UTF-8, as 64 lowercase hex characters. */
  public static String hex(String text) {
    return HexFormat.of().formatHex(of(text));
  }

  /** The digest of {@code parts} (see {@link #ofParts}), as 64 lowercase hex characters. */
  public static String hexOfParts(byte[]... parts) {
    return HexFormat.of().formatHex(ofParts(parts));
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }
}
