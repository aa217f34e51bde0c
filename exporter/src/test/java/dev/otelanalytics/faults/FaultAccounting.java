package dev.otelanalytics.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.DeliveryStats;
import dev.otelanalytics.internal.delivery.DeliveryCounters;
import dev.otelanalytics.testing.PhasedDispatcher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end of every fault scenario: every event accepted was delivered (each uuid with one
 * content) or dropped with a reason, and one {@code [faults] ...} line says so.
 */
final class FaultAccounting {
  private FaultAccounting() {}

  /** What one instance counted: events it delivered, and what it dropped by reason. */
  record Counts(long delivered, Map<String, Long> dropped) {
    static Counts of(DeliveryStats s) {
      return new Counts(s.eventsDelivered(), drops(s.droppedOutboxFull(), s.droppedCorrupt(), s.droppedRejected(),
          s.droppedOversize(), s.mappingFailures(), s.eventsFailed()));
    }

    /** For scenarios wired below {@code OtelAnalytics}. */
    static Counts of(DeliveryCounters c) {
      return new Counts(c.eventsDelivered.sum(), drops(c.droppedOutboxFull.sum(), c.droppedCorrupt.sum(),
          c.droppedRejected.sum(), c.droppedOversize.sum(), c.mappingFailures.sum(), c.eventsFailed.sum()));
    }

    private static Map<String, Long> drops(long outboxFull, long corrupt, long rejected, long oversize, long mapping, long failed) {
      Map<String, Long> out = new LinkedHashMap<>();
      out.put("outbox_full", outboxFull);
      out.put("corrupt", corrupt);
      out.put("rejected", rejected);
      out.put("oversize", oversize);
      out.put("mapping", mapping);
      out.put("failed", failed);
      return out;
    }
  }

  static void check(String scenario, long accepted, PhasedDispatcher.Accounting endpoint, DeliveryStats stats, String extra) {
    check(scenario, accepted, endpoint, List.of(Counts.of(stats)), extra, false);
  }

  static void check(String scenario, long accepted, PhasedDispatcher.Accounting endpoint, List<Counts> counts, String extra) {
    check(scenario, accepted, endpoint, counts, extra, false);
  }

  /**
   * Checks and prints the accounting of a scenario.
   *
   * @param accepted events accepted (spans queued, plus events put in the outbox beforehand)
   * @param counts what each instance counted
   * @param extra more facts for the line (latency, heap), may be empty
   * @param answersMayBeLost a shutdown deadline may cancel a request the endpoint already took:
   *     its batch is sent again by a later run (PostHog merges it by uuid), so duplicates are allowed
   */
  static void check(String scenario, long accepted, PhasedDispatcher.Accounting endpoint, List<Counts> counts, String extra,
      boolean answersMayBeLost) {
    Map<String, Long> dropped = new LinkedHashMap<>();
    long countedDelivered = 0;
    for (Counts c : counts) {
      countedDelivered += c.delivered();
      c.dropped().forEach((reason, n) -> dropped.merge(reason, n, Long::sum));
    }
    dropped.values().removeIf(n -> n == 0);
    long droppedTotal = dropped.values().stream().mapToLong(Long::longValue).sum();
    long delivered = endpoint.delivered().size();
    System.out.println("[faults] " + scenario + ": accepted=" + accepted + " delivered=" + delivered + " dropped=" + dropped
        + " duplicates=" + endpoint.duplicated().size() + " conflicting=" + endpoint.conflicting().size()
        + (extra.isEmpty() ? "" : " " + extra));
    assertThat(endpoint.conflicting()).as("uuids delivered with two contents").isEmpty();
    assertThat(delivered + droppedTotal).as("accepted = delivered + dropped with a reason").isEqualTo(accepted);
    // A resend after a lost answer is counted once (at its 2xx); two senders of one batch would count it twice.
    assertThat(countedDelivered).as("delivered as counted by the senders").isEqualTo(delivered);
    if (!answersMayBeLost) {
      assertThat(endpoint.duplicated()).as("uuids delivered twice (no answer was lost here)").isEmpty();
    }
  }
}
