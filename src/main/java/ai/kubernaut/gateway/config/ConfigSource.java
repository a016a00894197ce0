package ai.kubernaut.gateway.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Where a configuration was read from, so that it can be read again when the file changes. */
public final class ConfigSource {

  private final Optional<Path> file;
  private final ConfigLoader loader;

  ConfigSource(Optional<Path> file, ConfigLoader loader) {
    this.file = Objects.requireNonNull(file, "file");
    this.loader = Objects.requireNonNull(loader, "loader");
  }

  /** The configuration file; empty when only the built-in defaults apply. */
  public Optional<Path> file() {
    return file;
  }

  /**
   * Reads and validates the file again, with the same environment as the first time.
   *
   * @throws ConfigException naming every invalid key, or why the file could not be read
   */
  public GatewayConfig reread() {
    return loader.load(file);
  }
}
