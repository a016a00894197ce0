package ai.kubernaut.gateway.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CustomResourceTablesTest {

  @Test
  void agesReadAsKubectlPrintsThem() {
    assertThat(CustomResourceTables.humanDuration(Duration.ofSeconds(-5))).isEqualTo("<invalid>");
    assertThat(CustomResourceTables.humanDuration(Duration.ofMillis(-500))).isEqualTo("0s");
    assertThat(CustomResourceTables.humanDuration(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(CustomResourceTables.humanDuration(Duration.ofSeconds(119))).isEqualTo("119s");
    assertThat(CustomResourceTables.humanDuration(Duration.ofSeconds(200))).isEqualTo("3m20s");
    assertThat(CustomResourceTables.humanDuration(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(CustomResourceTables.humanDuration(Duration.ofMinutes(125))).isEqualTo("125m");
    assertThat(CustomResourceTables.humanDuration(Duration.ofMinutes(5 * 60 + 7)))
        .isEqualTo("5h7m");
    assertThat(CustomResourceTables.humanDuration(Duration.ofHours(30))).isEqualTo("30h");
    assertThat(CustomResourceTables.humanDuration(Duration.ofHours(51))).isEqualTo("2d3h");
    assertThat(CustomResourceTables.humanDuration(Duration.ofDays(400))).isEqualTo("400d");
    assertThat(CustomResourceTables.humanDuration(Duration.ofDays(800))).isEqualTo("2y70d");
    assertThat(CustomResourceTables.humanDuration(Duration.ofDays(365 * 9))).isEqualTo("9y");
  }
}
