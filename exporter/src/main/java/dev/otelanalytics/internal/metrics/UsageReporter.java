package dev.otelanalytics.internal.metrics;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.LogText;
import dev.otelanalytics.internal.ThrottledLogger;
import dev.otelanalytics.internal.scrub.AttributeScrubber;
import dev.otelanalytics.internal.state.InstallIdentity;
import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.policy.PrivacyPolicy;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * What the public {@code UsageReportExporter} does: each export adds the points of the
 * instruments the policy allows into the open window (see {@link UsageAccumulator}) and stores it
 * ({@link UsageWindowStore}); once the window is as old as the report interval, the next export,
 * flush or shutdown closes it into one {@link UsageReport} event, and a new window opens. A window
 * without any point sends no report. Never throws into the SDK.
 *
 * <p>The closed window's report is stored in the window file in the same write that resets it,
 * and handed to {@link ReportDelivery} under the same lock; it leaves the file once delivery took
 * it. A report delivery refuses (queue full, shut down), or that a crash kept from being queued,
 * is handed over again at the next export or run, with the same uuid and content.
 *
 * <p>Waits for the window's lock are bounded by a quarter of {@code OTEL_ANALYTICS_SHUTDOWN_TIMEOUT}
 * (and the time a shutdown spent waiting comes off delivery's share). When the lock cannot be had
 * in time, an export keeps its counts for the next export, and a shutdown writes them to a file of
 * their own that the next run adds to the window: they are neither lost nor counted twice.
 */
public final class UsageReporter {
  /** The name of report events (after the event prefix, if any). */
  public static final String REPORT_EVENT = "usage_report";
  /**
   * Most closed reports the window keeps while delivery refuses them (one is made per report
   * interval); the oldest is dropped beyond it.
   */
  static final int MAX_KEPT_REPORTS = 32;

  private static final ThrottledLogger logger = ThrottledLogger.get(UsageReporter.class);

  /** Per reporter: what became of its counts when the window's lock was busy, so no other reporter uses up its lines. */
  private final ThrottledLogger lockLogger = ThrottledLogger.get(UsageReporter.class);
  private final UsageAccumulator accumulator;
  private final UsageWindowStore store;
  private final Duration interval;
  private final Clock clock;
  private final LaplaceNoise noise;
  private final String eventName;
  private final Supplier<InstallIdentity> identity;
  private final ReportDelivery delivery;
  private CompletableResultCode shutdownResult;

  /**
   * @param policy the instruments ({@code metrics.allow}) and attributes
   * @param state where the open window is kept; null keeps it in memory only
   * @param eventPrefix put in front of {@link #REPORT_EVENT}; may be empty
   * @param identity the install id (the report's {@code distinct_id}) and deployment id; asked for at the first report
   * @param scrubber applies the value guards; asked for at the first export
   * @param delivery where reports go
   * @param interval the report interval
   * @param clock the time windows open and close by
   * @param noise Laplace noise added to each count, or null for none
   */
  public UsageReporter(PrivacyPolicy policy, StateDirectory state, String eventPrefix, Supplier<InstallIdentity> identity,
      Supplier<AttributeScrubber> scrubber, ReportDelivery delivery, Duration interval, Clock clock, LaplaceNoise noise) {
    this(policy, new UsageWindowStore(state), eventPrefix, identity, scrubber, delivery, interval, clock, noise);
  }

  /** With {@code store} made by the caller (tests give it a failing file writer). */
  UsageReporter(PrivacyPolicy policy, UsageWindowStore store, String eventPrefix, Supplier<InstallIdentity> identity,
      Supplier<AttributeScrubber> scrubber, ReportDelivery delivery, Duration interval, Clock clock, LaplaceNoise noise) {
    this.accumulator = new UsageAccumulator(policy, scrubber);
    this.store = store;
    this.interval = Objects.requireNonNull(interval, "interval");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.noise = noise;
    this.eventName = (eventPrefix == null ? "" : eventPrefix) + REPORT_EVENT;
    this.identity = Objects.requireNonNull(identity, "identity");
    this.delivery = Objects.requireNonNull(delivery, "delivery");
  }

  /** Deletes the open window and the counts runs kept for it ({@code telemetry clear}). */
  public static void deleteWindow(StateDirectory state) throws IOException {
    UsageWindowStore.delete(state);
  }

  /** Adds {@code metrics} to the open window, stores it, and queues a report when one is due. */
  public synchronized CompletableResultCode export(Collection<MetricData> metrics) {
    if (shutdownResult != null) {
      return CompletableResultCode.ofFailure();
    }
    try {
      accumulator.add(metrics);
      checkpoint(System.nanoTime() + lockWait(), false);
      return CompletableResultCode.ofSuccess();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      logger.log(Level.WARNING, "otel-analytics: could not add metrics to the usage report (" + t.getClass().getName() + ")");
      return CompletableResultCode.ofFailure();
    }
  }

  /** Stores the open window, queues a report when one is due, and delivers what is queued. */
  public synchronized CompletableResultCode flush() {
    if (shutdownResult != null) {
      return CompletableResultCode.ofSuccess();
    }
    try {
      checkpoint(System.nanoTime() + lockWait(), false);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      logger.log(Level.WARNING, "otel-analytics: could not store the usage-report window (" + t.getClass().getName() + ")");
    }
    return delivery.flush();
  }

  /**
   * Stores the open window, queues a report when one is due, and lets delivery finish (within
   * {@code OTEL_ANALYTICS_SHUTDOWN_TIMEOUT} when this was its last user, the wait for the
   * window's lock included).
   */
  public synchronized CompletableResultCode shutdown() {
    if (shutdownResult != null) {
      return shutdownResult;
    }
    long start = System.nanoTime();
    try {
      checkpoint(start + lockWait(), true);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      logger.log(Level.WARNING, "otel-analytics: could not store the usage-report window (" + t.getClass().getName() + ")");
    }
    Duration left = delivery.shutdownTimeout().minusNanos(System.nanoTime() - start);
    shutdownResult = delivery.release(left.isNegative() ? Duration.ZERO : left);
    return shutdownResult;
  }

  /** The report interval in force. */
  public Duration reportInterval() {
    return interval;
  }

  /** The file holding the open window; null when it is kept in memory only. */
  public synchronized Path windowFile() {
    return store.file();
  }

  /** Instruments exported here that the policy does not list (each time they were exported). */
  public long instrumentsNotAllowed() {
    return accumulator.instrumentsNotAllowed();
  }

  /** The most one wait for the window's lock may take: a quarter of the shutdown budget. */
  private long lockWait() {
    return delivery.shutdownTimeout().toNanos() / 4;
  }

  /**
   * Merges the pending counts into the stored window, closes it into a report when it is due,
   * and hands the window's reports to delivery.
   *
   * @param lockDeadline when waiting for the window's lock ends
   * @param last a shutdown: counts that cannot wait for another export are kept for the next run
   */
  private void checkpoint(long lockDeadline, boolean last) {
    Instant now = clock.instant();
    UsageWindow pending = accumulator.takePending();
    try {
      store.update(now, lockDeadline, (current, kept) -> next(current, kept, pending, now), this::handOver);
    } catch (UsageWindowStore.LockTimeoutException e) {
      // Nothing was read or written: the counts are still only ours.
      accumulator.restore(pending);
      if (last) {
        keepForNextRun(now);
      } else {
        lockLogger.log(Level.FINE, "otel-analytics: usage-window.lock is held by another process; this export's"
            + " usage-report counts wait for the next export");
      }
    } catch (RuntimeException e) {
      // Thrown while making the next window, before anything was written.
      accumulator.restore(pending);
      throw e;
    }
  }

  /** The window after this checkpoint (pure: the store may ask again, on a new window). */
  private UsageWindow next(UsageWindow current, List<UsageWindow> kept, UsageWindow pending, Instant now) {
    boolean sameWay = current.remote() == delivery.remote();
    if (pending.isEmpty() && kept.isEmpty() && !isDue(current, now)
        && (sameWay || (current.isEmpty() && current.reports().isEmpty()))) {
      return current;
    }
    UsageWindow window = accumulator.filter(current);
    if (!sameWay) {
      // Counts collected while reports stayed on this machine (level local, a first-run notice)
      // never leave it later, and counts meant to be sent are not reported locally instead.
      if (!window.isEmpty() || !window.reports().isEmpty()) {
        logger.log(Level.FINE, "otel-analytics: the open usage-report window was collected for a "
            + (window.remote() ? "remote" : "local") + " destination; it is dropped and a new one starts");
      }
      window = new UsageWindow(now);
      window.setRemote(delivery.remote());
    }
    if (window.start().isAfter(now)) {
      // A clock that went back (or a file from elsewhere): never a window from the future.
      window.setStart(now);
    }
    for (UsageWindow counts : kept) {
      if (counts.remote() == window.remote()) {
        window.addAll(accumulator.filter(counts));
      } else if (!counts.isEmpty()) {
        logger.log(Level.FINE, "otel-analytics: usage-report counts another run kept were collected for a "
            + (counts.remote() ? "remote" : "local") + " destination; they are dropped");
      }
    }
    window.addAll(pending);
    if (!isDue(window, now)) {
      return window;
    }
    UsageWindow next = new UsageWindow(now);
    next.setRemote(window.remote());
    next.setResource(window.resource());
    List<AnalyticsEvent> reports = new ArrayList<>(window.reports());
    if (!window.isEmpty()) {
      InstallIdentity id = identity.get();
      reports.add(UsageReport.toEvent(window, now, eventName, id.installId(), id.deploymentId(), noise));
    }
    if (reports.size() > MAX_KEPT_REPORTS) {
      logger.log(Level.WARNING, "otel-analytics: " + (reports.size() - MAX_KEPT_REPORTS) + " usage reports that delivery"
          + " kept refusing were dropped (at most " + MAX_KEPT_REPORTS + " wait)");
      reports = reports.subList(reports.size() - MAX_KEPT_REPORTS, reports.size());
    }
    next.setReports(reports);
    return next;
  }

  /** Hands the window's reports to delivery; returns the window without those it took. Never throws. */
  private UsageWindow handOver(UsageWindow stored) {
    if (stored.reports().isEmpty() || stored.remote() != delivery.remote()) {
      return stored;
    }
    List<AnalyticsEvent> refused = new ArrayList<>();
    for (AnalyticsEvent report : stored.reports()) {
      if (!offer(report)) {
        refused.add(report);
      }
    }
    if (!refused.isEmpty()) {
      logger.log(Level.FINE, "otel-analytics: " + refused.size() + " usage report(s) could not be queued; they stay in"
          + " the window and are queued again at the next export or run");
    }
    if (refused.size() == stored.reports().size()) {
      return stored;
    }
    UsageWindow after = stored.copy();
    after.setReports(refused);
    return after;
  }

  private boolean offer(AnalyticsEvent report) {
    try {
      return delivery.offer(report);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      return false;
    }
  }

  /** At shutdown without the lock: the pending counts go to a file of their own for the next run. */
  private void keepForNextRun(Instant now) {
    UsageWindow counts = accumulator.takePending();
    if (counts.isEmpty()) {
      lockLogger.log(Level.FINE, "otel-analytics: usage-window.lock is held by another process; the window (and a report"
          + " that is due) waits for the next run");
      return;
    }
    counts.setStart(now);
    counts.setRemote(delivery.remote());
    try {
      Path file = store.keep(counts);
      lockLogger.log(Level.FINE, "otel-analytics: usage-window.lock is held by another process; this run's usage-report"
          + " counts are kept in " + LogText.path(file) + " and added to the window by the next run");
    } catch (IOException | RuntimeException e) {
      logger.log(Level.WARNING, "otel-analytics: usage-window.lock is held by another process and this run's usage-report"
          + " counts could not be kept for the next run (" + e.getClass().getSimpleName() + "); they are lost");
    }
  }

  private boolean isDue(UsageWindow window, Instant now) {
    return !now.isBefore(window.start().plus(interval));
  }
}
