package dev.otelanalytics;

/** What {@link AnalyticsControl#clear()} deleted. Immutable. */
public final class ClearResult {
  private final long eventsDeleted;
  private final int batchesDeleted;

  ClearResult(long eventsDeleted, int batchesDeleted) {
    this.eventsDeleted = eventsDeleted;
    this.batchesDeleted = batchesDeleted;
  }

  /**
   * Events deleted from the local store.
   *
   * @return how many
   */
  public long eventsDeleted() {
    return eventsDeleted;
  }

  /**
   * Batches deleted from the outbox before they were sent.
   *
   * @return how many
   */
  public int batchesDeleted() {
    return batchesDeleted;
  }

  @Override
  public String toString() {
    return "ClearResult{eventsDeleted=" + eventsDeleted + ", batchesDeleted=" + batchesDeleted + "}";
  }
}
