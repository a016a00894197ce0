package ai.kubernaut.gateway.config;

import java.util.List;

/** The configuration is invalid; each problem names the key, the value and what is allowed. */
public final class ConfigException extends RuntimeException {

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
