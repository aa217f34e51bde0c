package dev.otelanalytics;

import dev.otelanalytics.config.AnalyticsConfig;
import dev.otelanalytics.consent.InstallIdentity;
import dev.otelanalytics.consent.StateDirectories;
import dev.otelanalytics.delivery.BatchStore;
import dev.otelanalytics.delivery.DeliveryCounters;
import dev.otelanalytics.delivery.DeliveryWorker;
import dev.otelanalytics.delivery.MemoryBatchStore;
import dev.otelanalytics.delivery.Outbox;
import dev.otelanalytics.delivery.RetryPolicy;
import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.destination.FileDestination;
import dev.otelanalytics.destination.LocalStore;
import dev.otelanalytics.event.SpanEventMapper;
import dev.otelanalytics.event.SpanSelector;
import dev.otelanalytics.internal.LogText;
import dev.otelanalytics.internal.Memoized;
import dev.otelanalytics.policy.AttributeScrubber;
import dev.otelanalytics.policy.PrivacyPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import java.util.function.Supplier;

/** Builds {@link OtelAnalytics}; every setter validates its argument. */
public final class OtelAnalyticsBuilder {
  /** Directory under the state directory that holds the local store. */
  public static final String EVENTS_DIRECTORY = "events";
  /** Directory under the state directory that holds undelivered batches for a remote destination. */
  public static final String OUTBOX_DIRECTORY = "outbox";
  /** Default bound of the outbox: 10 MiB. */
  public static final long DEFAULT_OUTBOX_MAX_BYTES = 10L * 1024 * 1024;

  private static final Logger logger = Logger.getLogger(OtelAnalyticsBuilder.class.getName());

  private String serviceName = "unknown_service:java";
  private Path stateDirectory;
  private PrivacyPolicy policy = PrivacyPolicy.defaultPolicy();
  private byte[] hashKey;
  private Destination destination;
  private PrintStream debugOut;
  private String eventPrefix = "";
  private int queueSize = AnalyticsConfig.DEFAULT_QUEUE_SIZE;
  private int batchSize = AnalyticsConfig.DEFAULT_BATCH_SIZE;
  private Duration flushInterval = AnalyticsConfig.DEFAULT_FLUSH_INTERVAL;
  private Duration shutdownTimeout = AnalyticsConfig.DEFAULT_SHUTDOWN_TIMEOUT;
  private long outboxMaxBytes = DEFAULT_OUTBOX_MAX_BYTES;
  private Duration initialBackoff = Duration.ofSeconds(1);
  private Duration maxBackoff = Duration.ofMinutes(5);
  private boolean localHistory = true;
  private Duration localRetention = AnalyticsConfig.DEFAULT_LOCAL_RETENTION;

  OtelAnalyticsBuilder() {}

  /** The service's name; it names the default state directory. */
  public OtelAnalyticsBuilder setServiceName(String serviceName) {
    this.serviceName = requireText(serviceName, "serviceName");
    return this;
  }

  /** Where the install id, hash key and local store live; default per platform (see README). */
  public OtelAnalyticsBuilder setStateDirectory(Path stateDirectory) {
    this.stateDirectory = Objects.requireNonNull(stateDirectory, "stateDirectory");
    return this;
  }

  /** The privacy policy; default {@link PrivacyPolicy#defaultPolicy()}. */
  public OtelAnalyticsBuilder setPolicy(PrivacyPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * A shared HMAC key (at least 16 bytes), so that all instances produce the same hashes.
   * Default: a random per-install key kept in the state directory.
   */
  public OtelAnalyticsBuilder setHashKey(byte[] hashKey) {
    Objects.requireNonNull(hashKey, "hashKey");
    if (hashKey.length < AnalyticsConfig.MIN_HASH_KEY_LENGTH) {
      throw new IllegalArgumentException("hashKey must be at least " + AnalyticsConfig.MIN_HASH_KEY_LENGTH + " bytes");
    }
    this.hashKey = hashKey.clone();
    return this;
  }

  /** Where events go; default a {@link FileDestination} in the state directory's {@code events/}. */
  public OtelAnalyticsBuilder setDestination(Destination destination) {
    this.destination = Objects.requireNonNull(destination, "destination");
    return this;
  }

  /** Prints every scrubbed event to {@code System.err} before it is sent. */
  public OtelAnalyticsBuilder setDebug(boolean debug) {
    this.debugOut = debug ? System.err : null;
    return this;
  }

  /** Prints every scrubbed event to {@code out} before it is sent. */
  public OtelAnalyticsBuilder setDebugOutput(PrintStream out) {
    this.debugOut = Objects.requireNonNull(out, "out");
    return this;
  }

  /** Put in front of every event name, e.g. {@code cf:}: up to 32 letters or {@code _ . : $ -}; empty for none. */
  public OtelAnalyticsBuilder setEventPrefix(String eventPrefix) {
    Objects.requireNonNull(eventPrefix, "eventPrefix");
    if (!eventPrefix.isEmpty() && !AnalyticsConfig.EVENT_PREFIX_PATTERN.matcher(eventPrefix).matches()) {
      throw new IllegalArgumentException("eventPrefix must be 1 to 32 letters or _ . : $ -, e.g. cf:");
    }
    this.eventPrefix = eventPrefix;
    return this;
  }

  /** Most spans waiting to be mapped; more are dropped and counted. Default 2048. */
  public OtelAnalyticsBuilder setQueueSize(int queueSize) {
    this.queueSize = positive(queueSize, "queueSize");
    return this;
  }

  /** Most events handed to the destination at once. Default 100. */
  public OtelAnalyticsBuilder setBatchSize(int batchSize) {
    this.batchSize = positive(batchSize, "batchSize");
    return this;
  }

  /** Longest time an event waits for its batch to fill. Default 5 s. */
  public OtelAnalyticsBuilder setFlushInterval(Duration flushInterval) {
    Objects.requireNonNull(flushInterval, "flushInterval");
    if (flushInterval.isZero() || flushInterval.isNegative()) {
      throw new IllegalArgumentException("flushInterval must be positive");
    }
    this.flushInterval = flushInterval;
    return this;
  }

  /** The most that shutdown may delay the host's exit. Default 1 s. */
  public OtelAnalyticsBuilder setShutdownTimeout(Duration shutdownTimeout) {
    Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    if (shutdownTimeout.isNegative()) {
      throw new IllegalArgumentException("shutdownTimeout must not be negative");
    }
    this.shutdownTimeout = shutdownTimeout;
    return this;
  }

  /**
   * Most bytes of undelivered events kept on disk for a remote destination; beyond it the
   * oldest are dropped and counted. Default 10 MiB.
   */
  public OtelAnalyticsBuilder setOutboxMaxSize(long bytes) {
    if (bytes < 1024) {
      throw new IllegalArgumentException("outbox max size must be at least 1 KiB");
    }
    this.outboxMaxBytes = bytes;
    return this;
  }

  /**
   * Backoff between failed delivery attempts: full jitter up to {@code initial × 2^attempt},
   * capped at {@code max}. Default 1 s up to 5 min. A server's {@code Retry-After} wins.
   */
  public OtelAnalyticsBuilder setRetryBackoff(Duration initial, Duration max) {
    new RetryPolicy(initial, max, new Random()); // validates
    this.initialBackoff = initial;
    this.maxBackoff = max;
    return this;
  }

  /**
   * Whether events sent to a remote destination are also kept in the local store (the
   * {@code events/} files the {@code show} and {@code export} commands read). Default true.
   */
  public OtelAnalyticsBuilder setLocalHistory(boolean keep) {
    this.localHistory = keep;
    return this;
  }

  /** How long the local store keeps events; older daily files are deleted at start. Default 90 days. */
  public OtelAnalyticsBuilder setLocalRetention(Duration retention) {
    if (retention == null || retention.compareTo(Duration.ofDays(1)) < 0) {
      throw new IllegalArgumentException("local retention must be at least 1 day");
    }
    this.localRetention = retention;
    return this;
  }

  /**
   * Builds and starts the delivery worker. Never fails for an unusable state directory: the
   * identity then lives for this run only (logged once).
   */
  public OtelAnalytics build() {
    Path stateDir = stateDirectory != null ? stateDirectory : StateDirectories.defaultFor(serviceName);
    PrivacyPolicy chosenPolicy = policy;
    byte[] key = hashKey;
    String prefix = eventPrefix;
    Path eventsDir = stateDir.resolve(EVENTS_DIRECTORY);
    Duration retention = localRetention;
    Destination target = destination != null ? destination : FileDestination.create(eventsDir);
    boolean usesLocalStore = target instanceof FileDestination || (target.isRemote() && localHistory);
    // Runs on the worker thread: reading or creating the identity files, seeding the random
    // generator and trimming the local store overlap the app's own work.
    // The identity and scrubber are shared with the usage-report exporters, whichever asks first.
    Supplier<InstallIdentity> identity = Memoized.of(() -> InstallIdentity.load(stateDir, key));
    Supplier<AttributeScrubber> scrubber = Memoized.of(() -> new AttributeScrubber(chosenPolicy, identity.get().hasher()));
    Supplier<SpanEventMapper> setup = () -> {
      String installId = identity.get().installId();
      if (usesLocalStore) {
        purgeLocalStore(eventsDir, retention);
      }
      return new SpanEventMapper(scrubber.get(), installId, prefix);
    };
    Destination history = target.isRemote() && localHistory ? FileDestination.create(eventsDir) : null;
    DeliveryCounters counters = new DeliveryCounters();
    long maxBytes = outboxMaxBytes;
    int memoryFallbackEvents = queueSize;
    // Also on the worker thread: opening the outbox and taking over batches of earlier runs.
    Callable<BatchStore> storeOpener = () -> {
      try {
        Outbox outbox = Outbox.open(stateDir.resolve(OUTBOX_DIRECTORY), maxBytes, counters);
        outbox.takeOverOrphans();
        return outbox;
      } catch (IOException e) {
        logger.warning("otel-analytics: the outbox in " + LogText.path(stateDir) + " cannot be used ("
            + e.getClass().getSimpleName() + "); undelivered events are kept in memory only. Set OTEL_ANALYTICS_STATE_DIR"
            + " to a writable directory.");
        return new MemoryBatchStore(memoryFallbackEvents, counters);
      }
    };
    RetryPolicy retryPolicy = new RetryPolicy(initialBackoff, maxBackoff, new Random());
    // A batch is one request: never larger than the destination takes (GA4: 25 events).
    int effectiveBatchSize = Math.min(batchSize, target.maxBatchSize());
    DeliveryWorker worker = new DeliveryWorker(setup, target, history, storeOpener, retryPolicy, debugOut, queueSize,
        effectiveBatchSize, flushInterval, counters);
    SharedWorker shared = new SharedWorker(worker, shutdownTimeout);
    AnalyticsSpanProcessor processor =
        new AnalyticsSpanProcessor(SpanSelector.of(policy.spanSelectors()), worker, counters, shared.acquire());
    return new OtelAnalytics(processor, shared, stateDir, target.name(), target.isRemote(), chosenPolicy, prefix, identity,
        scrubber);
  }

  private static void purgeLocalStore(Path eventsDir, Duration retention) {
    try {
      new LocalStore(eventsDir).purgeBefore(LocalDate.now(ZoneOffset.UTC).minusDays(retention.toDays() - 1));
    } catch (IOException | RuntimeException e) {
      logger.fine("otel-analytics: could not apply the local retention (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static int positive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1");
    }
    return value;
  }

  private static String requireText(String value, String name) {
    if (value == null || value.trim().isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return value;
  }
}
