package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.event.AnalyticsEvent;
import java.io.IOException;
import java.util.List;

/**
 * Where batches for a remote destination wait until it acknowledges them: the on-disk
 * {@link Outbox}, or {@link MemoryBatchStore} when no state directory can be written.
 */
public interface BatchStore extends AutoCloseable {
  /** One stored batch. */
  interface Batch {}

  /** Stores {@code events} as one batch, making room by dropping the oldest if the store is full. */
  Batch add(List<AnalyticsEvent> events) throws IOException;

  /**
   * Adds {@code events} to the open batch (opening one if needed), so that they are stored at
   * once, before the batch is complete; making room as {@link #add} does. The open batch is not
   * sent until {@link #seal()}: batches stay as large as the batch size and flush interval make them.
   */
  void append(List<AnalyticsEvent> events) throws IOException;

  /** The open batch is complete: it waits to be sent with the others. Nothing when none is open. */
  void seal() throws IOException;

  /** This process's batches that are not being sent, oldest first. */
  List<? extends Batch> pending() throws IOException;

  /** The events of {@code batch}; empty when it is gone. */
  List<AnalyticsEvent> read(Batch batch) throws IOException;

  /**
   * Marks {@code batch} as being sent and returns its events (empty when it is gone). Until it is
   * acknowledged, split or released, making room never deletes it, in this process or another:
   * so no event is both delivered and counted as dropped.
   */
  List<AnalyticsEvent> claim(Batch batch) throws IOException;

  /** The attempt to send the claimed {@code batch} failed: it waits again, with the others. */
  void release(Batch batch) throws IOException;

  /** The destination has {@code batch}, or it was dropped for good: forget it. */
  void acknowledge(Batch batch) throws IOException;

  /** Replaces {@code batch} by one batch per part; returns the parts' batches, in order. */
  List<? extends Batch> split(Batch batch, List<List<AnalyticsEvent>> parts) throws IOException;

  /**
   * Takes over the batches of processes (and other instances) that have ended, so that this one
   * sends them; returns how many. Nothing to do for a store in memory.
   */
  default int takeOverOrphans() throws IOException {
    return 0;
  }

  /** Bytes (or, in memory, events) currently held, for the stats. */
  long size();

  /** True when batches survive a restart. */
  boolean durable();

  @Override
  void close();
}
