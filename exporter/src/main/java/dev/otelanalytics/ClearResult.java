package dev.otelanalytics;

import java.util.Collections;
import java.util.List;

/**
 * What {@link AnalyticsControl#clear()} deleted, and what it could not delete. Immutable.
 */
public final class ClearResult {
  private final long eventsDeleted;
  private final long unreadableLinesDeleted;
  private final int batchesDeleted;
  private final List<String> notDeleted;

  ClearResult(long eventsDeleted, long unreadableLinesDeleted, int batchesDeleted, List<String> notDeleted) {
    this.eventsDeleted = eventsDeleted;
    this.unreadableLinesDeleted = unreadableLinesDeleted;
    this.batchesDeleted = batchesDeleted;
    this.notDeleted = Collections.unmodifiableList(notDeleted);
  }

  /**
   * Events deleted from the local store.
   *
   * @return how many (readable) events its files held
   */
  public long eventsDeleted() {
    return eventsDeleted;
  }

  /**
   * Damaged lines of the local store (a partial write) deleted with it.
   *
   * @return how many lines could not be read, and were deleted all the same
   */
  public long unreadableLinesDeleted() {
    return unreadableLinesDeleted;
  }

  /**
   * Batches deleted from the outbox before they were sent.
   *
   * @return how many
   */
  public int batchesDeleted() {
    return batchesDeleted;
  }

  /**
   * What could not be deleted, each as the path and the reason, e.g.
   * {@code /home/me/.local/state/otel-analytics/app/events/events-2026-03-03.jsonl (AccessDeniedException)}.
   *
   * @return the failures, unmodifiable; empty when everything was deleted
   */
  public List<String> notDeleted() {
    return notDeleted;
  }

  /**
   * Whether everything was deleted.
   *
   * @return true when {@link #notDeleted()} is empty
   */
  public boolean complete() {
    return notDeleted.isEmpty();
  }

  @Override
  public String toString() {
    return "ClearResult{eventsDeleted=" + eventsDeleted + ", unreadableLinesDeleted=" + unreadableLinesDeleted
        + ", batchesDeleted=" + batchesDeleted + ", notDeleted=" + notDeleted + "}";
  }
}
