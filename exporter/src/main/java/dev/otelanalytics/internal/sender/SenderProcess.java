package dev.otelanalytics.internal.sender;

import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.internal.config.AnalyticsConfig;
import dev.otelanalytics.internal.SecureFiles;
import dev.otelanalytics.internal.config.InvalidSettingException;
import dev.otelanalytics.internal.delivery.DeliveryCounters;
import dev.otelanalytics.internal.delivery.Outbox;
import dev.otelanalytics.internal.delivery.OutboxSink;
import dev.otelanalytics.internal.delivery.RetryPolicy;
import dev.otelanalytics.internal.state.StateDirectory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Properties;
import java.util.Random;
import java.util.logging.Logger;

/**
 * The sender process ({@code OTEL_ANALYTICS_SENDER=process}): started by {@link SenderProcessLaunch}
 * when a command-line tool exits, it sends the batches in the state directory's outbox, as the
 * sender thread of a long-running service does, and ends. Its settings come through standard
 * input. One runs per state directory at a time; it sends nothing once the user has chosen level
 * {@code off} or {@code local} since. It tries for at most {@link #BUDGET}; whatever is not
 * delivered by then stays in the outbox for the next run.
 */
public final class SenderProcess {
  private static final Logger logger = Logger.getLogger(SenderProcess.class.getName());
  static final String STATE_DIR = "sender.state.dir";
  static final String OUTBOX_MAX_BYTES = "sender.outbox.max.bytes";
  static final String INITIAL_BACKOFF_MILLIS = "sender.initial.backoff.millis";
  static final String MAX_BACKOFF_MILLIS = "sender.max.backoff.millis";
  /** The most its settings take; more is not ours. */
  private static final int MAX_SETTINGS_BYTES = 64 * 1024;
  /** How long one sender process tries, retries included. */
  static final Duration BUDGET = Duration.ofSeconds(30);
  /** Rounds over the outbox: another run may end (and leave batches) while one is sending. */
  private static final int MAX_ROUNDS = 5;

  private SenderProcess() {}

  /** Reads the settings from standard input and sends; the exit code is 0 unless the settings were unusable. */
  public static void main(String[] args) {
    int code;
    try {
      code = run(System.in, BUDGET);
    } catch (IOException | RuntimeException e) {
      logger.warning("otel-analytics sender process: " + e.getClass().getSimpleName() + "; the outbox is sent by the next run");
      code = 1;
    }
    System.exit(code);
  }

  /**
   * Sends what the outbox of the state directory in {@code settings} holds, within {@code budget}.
   *
   * @return 0 when it ran (or another sender process runs), 2 when the settings are unusable
   */
  static int run(InputStream settings, Duration budget) throws IOException {
    Properties p = new Properties();
    p.load(new ByteArrayInputStream(readAtMost(settings, MAX_SETTINGS_BYTES)));
    String root = p.getProperty(STATE_DIR);
    if (root == null) {
      logger.warning("otel-analytics sender process: no state directory given; it is started by otel-analytics, not by hand");
      return 2;
    }
    StateDirectory state = StateDirectory.at(Paths.get(root));
    try (SenderProcessLock lock = SenderProcessLock.tryTake(state.senderLockFile())) {
      if (lock == null) {
        return 0;   // another one sends
      }
      Destination destination;
      try {
        destination = AnalyticsConfig.remoteDestination(p::getProperty);
      } catch (InvalidSettingException e) {
        logger.warning("otel-analytics sender process: " + e.getMessage());
        return 2;
      }
      long maxBytes = Long.parseLong(p.getProperty(OUTBOX_MAX_BYTES, Long.toString(AnalyticsConfig.DEFAULT_OUTBOX_MAX_BYTES)));
      RetryPolicy retry = new RetryPolicy(millis(p, INITIAL_BACKOFF_MILLIS, AnalyticsConfig.DEFAULT_INITIAL_BACKOFF),
          millis(p, MAX_BACKOFF_MILLIS, AnalyticsConfig.DEFAULT_MAX_BACKOFF), new Random());
      long deadline = System.nanoTime() + budget.toNanos();
      DeliveryCounters counters = new DeliveryCounters();
      String stopped = null;
      try {
        for (int round = 0; round < MAX_ROUNDS && System.nanoTime() - deadline < 0; round++) {
          if (!stillWanted(state)) {
            return 0;
          }
          long before = counters.eventsDelivered.sum();
          OutboxSink sink = new OutboxSink(destination, () -> Outbox.open(state.outboxDirectory(), maxBytes, counters),
              retry, counters, 1000);
          sink.start();
          sink.close(deadline);
          stopped = sink.stoppedReason();
          // Nothing new got through: nothing more to take over, or the destination does not answer.
          if (counters.eventsDelivered.sum() == before) {
            break;
          }
        }
      } finally {
        destination.close();
      }
      recordStop(state, destination.name(), stopped);
      logger.fine("otel-analytics sender process: " + counters.eventsDelivered.sum() + " events delivered, "
          + counters.eventsFailed.sum() + " failed");
      return 0;
    }
  }

  /**
   * Keeps why sending stopped (a refused key, a wrong endpoint: the reason names the setting, never
   * its value) for the next run, which warns where its user sees it; a run that got through
   * removes it.
   */
  private static void recordStop(StateDirectory state, String destination, String reason) {
    try {
      if (reason == null) {
        Files.deleteIfExists(state.senderStoppedFile());
      } else {
        SecureFiles.replace(state.senderStoppedFile(), (destination + "\n" + reason + "\n").getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException | RuntimeException e) {
      logger.fine("otel-analytics sender process: could not record why sending stopped (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** The user's stored choice is read again: {@code off} or {@code local}, chosen since the run ended, sends nothing. */
  private static boolean stillWanted(StateDirectory state) {
    AnalyticsLevel stored = state.choices().storedLevel();
    return stored == null || stored == AnalyticsLevel.ANONYMOUS;
  }

  private static Duration millis(Properties p, String name, Duration otherwise) {
    String value = p.getProperty(name);
    return value == null ? otherwise : Duration.ofMillis(Long.parseLong(value));
  }

  private static byte[] readAtMost(InputStream in, int max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    int n;
    while ((n = in.read(buffer)) > 0) {
      if (out.size() + n > max) {
        throw new IOException("settings larger than " + max + " bytes");
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }
}
