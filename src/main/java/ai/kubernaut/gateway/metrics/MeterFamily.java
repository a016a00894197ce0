package ai.kubernaut.gateway.metrics;

import io.micrometer.core.instrument.Meter;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The meters of one name, one per combination of label values, each registered once and then found
 * by its values. Building and registering a meter on every signal costs a tag sort and a registry
 * lookup, several times what the increment does.
 */
final class MeterFamily<M extends Meter> {

  private final Function<List<String>, M> register;
  private final ConcurrentHashMap<List<String>, M> meters = new ConcurrentHashMap<>();

  /**
   * @param register registers the meter for a list of label values, in the order {@link #get} is
   *     given them
   */
  MeterFamily(Function<List<String>, M> register) {
    this.register = register;
  }

  M get(String... labelValues) {
    return meters.computeIfAbsent(List.of(labelValues), register);
  }
}
