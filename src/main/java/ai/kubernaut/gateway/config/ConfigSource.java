package ai.kubernaut.gateway.config;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Where a configuration was read from, so that it can be read again when the file changes. */
public final class ConfigSource {

  private final Optional<Path> file;
  private final ConfigLoader loader;
  private final Set<String> presentKeys;
  private final List<String> ignoredKeys;
  private final Set<String> readKeys;

  ConfigSource(
      Optional<Path> file,
      ConfigLoader loader,
      Collection<String> presentKeys,
      Collection<String> ignoredKeys,
      Collection<String> readKeys) {
    this.file = Objects.requireNonNull(file, "file");
    this.loader = Objects.requireNonNull(loader, "loader");
    this.presentKeys = Set.copyOf(presentKeys);
    this.ignoredKeys = List.copyOf(ignoredKeys);
    this.readKeys = Set.copyOf(readKeys);
  }

  /** Every key this gateway read while loading, whether the file set it or not. */
  public Set<String> readKeys() {
    return readKeys;
  }

  /** Keys the file sets that this gateway does not read (logged at start-up). */
  public List<String> ignoredKeys() {
    return ignoredKeys;
  }

  /**
   * Whether the file sets {@code key} (or, for a section such as {@code datastorage}, anything in
   * it): an explicit choice that modes such as embedded mode must not replace with their defaults.
   */
  public boolean sets(String key) {
    return presentKeys.stream().anyMatch(k -> k.equals(key) || k.startsWith(key + "."));
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
