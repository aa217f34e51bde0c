package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.ThrottledLogger;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

/**
 * The outbox, with memory to fall back on while it cannot be written (the disk is full or has
 * become read-only): a batch that cannot be written waits in a bounded {@link MemoryBatchStore}
 * instead of being dropped, and is sent from there, before the batches on disk (it is the one a
 * process exit would lose). Every write tries the disk first, so the outbox is used again as
 * soon as it can be. Batches already in memory stay there.
 */
final class FallbackStore implements BatchStore {
  private static final ThrottledLogger logger = ThrottledLogger.get(FallbackStore.class);

  private final BatchStore disk;
  private final MemoryBatchStore memory;
  /** The last write to disk failed. Guarded by {@code this}. */
  private boolean failing;

  FallbackStore(BatchStore disk, MemoryBatchStore memory) {
    this.disk = disk;
    this.memory = memory;
  }

  @Override
  public Batch add(List<AnalyticsEvent> events) throws IOException {
    try {
      Batch written = disk.add(events);
      recovered();
      return written;
    } catch (Outbox.ClosedException e) {
      throw e;   // shut down: nothing sends from memory any more
    } catch (IOException | RuntimeException e) {
      failed(e, events.size());
      return memory.add(events);
    }
  }

  @Override
  public void append(List<AnalyticsEvent> events) throws IOException {
    try {
      disk.append(events);
      recovered();
    } catch (Outbox.ClosedException e) {
      throw e;   // shut down: nothing sends from memory any more
    } catch (IOException | RuntimeException e) {
      failed(e, events.size());
      memory.append(events);
    }
  }

  /** Seals the open batch in both places: part of it may be on disk, the rest in memory. */
  @Override
  public void seal() {
    try {
      disk.seal();
    } catch (IOException | RuntimeException e) {
      logger.log(Level.WARNING, "otel-analytics: could not complete a batch in the outbox (" + Failures.describe(e)
          + "); it is sent by the next run");
    }
    memory.seal();
  }

  private synchronized void recovered() {
    if (failing) {
      failing = false;
      logger.log(Level.INFO, "otel-analytics: the outbox can be written again");
    }
  }

  private synchronized void failed(Exception e, int events) {
    if (!failing) {
      failing = true;
      logger.log(Level.WARNING, "otel-analytics: could not write " + events + " events to the outbox (" + Failures.describe(e)
          + "); keeping undelivered events in memory until it can be written (they are lost if the process ends first)");
    }
  }

  @Override
  public List<? extends Batch> pending() throws IOException {
    List<Batch> out = new ArrayList<>(memory.pending());
    out.addAll(disk.pending());
    return out;
  }

  private BatchStore of(Batch batch) {
    return batch instanceof MemoryBatchStore.Held ? memory : disk;
  }

  @Override
  public List<AnalyticsEvent> read(Batch batch) throws IOException {
    return of(batch).read(batch);
  }

  @Override
  public List<AnalyticsEvent> claim(Batch batch) throws IOException {
    return of(batch).claim(batch);
  }

  @Override
  public void release(Batch batch) throws IOException {
    of(batch).release(batch);
  }

  @Override
  public void acknowledge(Batch batch) throws IOException {
    of(batch).acknowledge(batch);
  }

  /** The parts of a batch on disk that cannot be written wait in memory. */
  @Override
  public List<? extends Batch> split(Batch batch, List<List<AnalyticsEvent>> parts) throws IOException {
    if (of(batch) == memory) {
      return memory.split(batch, parts);
    }
    try {
      return disk.split(batch, parts);
    } catch (IOException e) {
      List<Batch> held = new ArrayList<>();
      int events = 0;
      for (List<AnalyticsEvent> part : parts) {
        held.add(memory.add(part));
        events += part.size();
      }
      failed(e, events);
      disk.acknowledge(batch);
      return held;
    }
  }

  @Override
  public int takeOverOrphans() throws IOException {
    return disk.takeOverOrphans();
  }

  /** Bytes on disk; events waiting in memory are reported by {@link #eventsInMemory()}. */
  @Override
  public long size() {
    return disk.size();
  }

  /** Events that wait in memory only: lost if the process ends before they are delivered. */
  int eventsInMemory() {
    return memory.events();
  }

  @Override
  public boolean durable() {
    return disk.durable();
  }

  @Override
  public void close() {
    memory.close();
    disk.close();
  }
}
