package ai.kubernaut.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

  @Test
  void seriesAreTheIdentifiersOutsideMatchersRangesGroupingsAndFunctionCalls() {
    PromQl parsed =
        PromQl.parse(
            "histogram_quantile(0.99, sum by (le, endpoint) (rate(a_bucket{ns=~\"$x\","
                + "status!=\"5..\"}[$__rate_interval]))) / on (pod) group_left() b > bool 1e3");

    assertThat(parsed.series()).containsExactly("a_bucket", "b");
    assertThat(parsed.labels()).containsExactlyInAnyOrder("ns", "status", "le", "endpoint", "pod");
  }

  @Test
  void keywordsAndLabelValuesAreNotSeries() {
    PromQl parsed = PromQl.parse("x{service=\"gateway\"} and y unless z offset 5m or w");

    assertThat(parsed.series()).containsExactly("x", "y", "z", "w");
    assertThat(parsed.labels()).containsExactly("service");
  }
}
