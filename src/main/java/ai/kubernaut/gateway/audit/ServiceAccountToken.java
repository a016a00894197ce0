package ai.kubernaut.gateway.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod's service-account token for DataStorage. Cached, and read again when the file changes
 * (kubelet rotates projected tokens by swapping the file) or after DataStorage rejected it.
 */
final class ServiceAccountToken {

  private static final Logger log = LoggerFactory.getLogger(ServiceAccountToken.class);

  private record Cached(String token, FileTime modified, long size) {}

  private final Path file;
  private Cached cached;
  private boolean missingLogged;

  ServiceAccountToken(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  /** The current token; empty when the file does not exist (e.g. outside a cluster). */
  synchronized Optional<String> current() {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      if (!missingLogged) {
        log.warn("no service-account token at {}: audit batches are sent without one", file);
        missingLogged = true;
      }
      cached = null;
      return Optional.empty();
    } catch (IOException e) {
      log.warn("cannot read service-account token {}: {}", file, e.toString());
      return Optional.ofNullable(cached).map(Cached::token);
    }
    if (cached == null
        || !cached.modified().equals(attributes.lastModifiedTime())
        || cached.size() != attributes.size()) {
      try {
        String token = Files.readString(file, StandardCharsets.UTF_8).trim();
        cached = new Cached(token, attributes.lastModifiedTime(), attributes.size());
      } catch (IOException e) {
        log.warn("cannot read service-account token {}: {}", file, e.toString());
      }
    }
    return Optional.ofNullable(cached).map(Cached::token);
  }

  /** Forgets the cached token so the next use reads the file again. */
  synchronized void invalidate() {
    cached = null;
  }
}
