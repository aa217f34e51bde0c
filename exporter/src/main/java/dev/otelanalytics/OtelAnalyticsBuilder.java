package dev.otelanalytics;

import dev.otelanalytics.config.AnalyticsConfig;
import dev.otelanalytics.consent.InstallIdentity;
import dev.otelanalytics.consent.StateDirectories;
import dev.otelanalytics.delivery.DeliveryCounters;
import dev.otelanalytics.delivery.DeliveryWorker;
import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.destination.FileDestination;
import dev.otelanalytics.event.SpanEventMapper;
import dev.otelanalytics.event.SpanSelector;
import dev.otelanalytics.policy.AttributeScrubber;
import dev.otelanalytics.policy.PrivacyPolicy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/** Builds {@link OtelAnalytics}; every setter validates its argument. */
public final class OtelAnalyticsBuilder {
  /** Directory under the state directory that holds the local store. */
  public static final String EVENTS_DIRECTORY = "events";

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
   * Builds and starts the delivery worker. Never fails for an unusable state directory: the
   * identity then lives for this run only (logged once).
   */
  public OtelAnalytics build() {
    Path stateDir = stateDirectory != null ? stateDirectory : StateDirectories.defaultFor(serviceName);
    PrivacyPolicy chosenPolicy = policy;
    byte[] key = hashKey;
    String prefix = eventPrefix;
    // Runs on the worker thread: reading or creating the identity files and seeding the random
    // generator overlap the app's own work.
    Supplier<SpanEventMapper> setup = () -> {
      InstallIdentity identity = InstallIdentity.load(stateDir, key);
      return new SpanEventMapper(new AttributeScrubber(chosenPolicy, identity.hasher()), identity.installId(), prefix);
    };
    Destination target = destination != null ? destination : FileDestination.create(stateDir.resolve(EVENTS_DIRECTORY));
    DeliveryCounters counters = new DeliveryCounters();
    DeliveryWorker worker = new DeliveryWorker(setup, target, debugOut, queueSize, batchSize, flushInterval, counters);
    AnalyticsSpanProcessor processor =
        new AnalyticsSpanProcessor(SpanSelector.of(policy.spanSelectors()), worker, counters, shutdownTimeout);
    return new OtelAnalytics(processor, worker, stateDir, target.name());
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
