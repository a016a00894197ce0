package ai.kubernaut.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.signal.ResourceRef;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * A 207 grows with the number of alerts only: each item is fixed text plus a fingerprint, an
 * incident name or a resource reference cut short, so the largest webhook (1,000 alerts) is
 * answered in about 210 KB whatever its labels carry.
 */
class BatchResponseSizeTest {

  /** Most bytes one item of a 207 may take. */
  static final int ITEM_BOUND = 215;

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void aThousandAlertAnswerStaysUnderItsBoundWhateverTheLabelsCarry() throws Exception {
    String longest = "n".repeat(2000);
    int created =
        size(
            i ->
                new RecordedAnswer(
                    201,
                    "f".repeat(64),
                    "rr-0123456789ab-" + Integer.toHexString(0x10000000 + i),
                    "kubernaut-system",
                    1,
                    Instant.EPOCH,
                    Instant.EPOCH,
                    "",
                    null,
                    false,
                    false));
    int unmanagedShort =
        size(
            i ->
                new RecordedAnswer(
                    200,
                    "",
                    "",
                    "",
                    0,
                    null,
                    null,
                    "unmanaged_resource",
                    ResourceRef.of("Node", "", "worker-9"),
                    false,
                    false));
    int unmanagedLongest =
        size(
            i ->
                new RecordedAnswer(
                    200,
                    "",
                    "",
                    "",
                    0,
                    null,
                    null,
                    "unmanaged_resource",
                    ResourceRef.of(
                        RecordedAnswer.bounded(longest),
                        RecordedAnswer.bounded(longest),
                        RecordedAnswer.bounded(longest)),
                    false,
                    false));
    List<BatchResponse.Item> invalidItems = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      invalidItems.add(OutcomeResponses.invalid("label 'alertname' is invalid: " + longest));
    }
    int invalid = json.writeValueAsBytes(OutcomeResponses.batchBody(invalidItems)).length;
    System.out.printf(
        "207 for 1000 alerts: created=%dB unmanagedShortName=%dB unmanagedLongestNames=%dB"
            + " invalidLongestReasons=%dB%n",
        created, unmanagedShort, unmanagedLongest, invalid);

    assertThat(List.of(created, unmanagedShort, unmanagedLongest, invalid))
        .allSatisfy(bytes -> assertThat(bytes).isLessThanOrEqualTo(1000 * ITEM_BOUND + 200));
  }

  private int size(IntFunction<RecordedAnswer> answer) throws Exception {
    List<BatchResponse.Item> items = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      items.add(OutcomeResponses.item(answer.apply(i)));
    }
    return json.writeValueAsBytes(OutcomeResponses.batchBody(items)).length;
  }
}
