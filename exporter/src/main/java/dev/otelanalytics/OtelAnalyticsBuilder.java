package dev.otelanalytics;

import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.LogText;
import dev.otelanalytics.internal.Memoized;
import dev.otelanalytics.internal.OsType;
import dev.otelanalytics.internal.activation.Activation;
import dev.otelanalytics.internal.activation.ActivationDecision;
import dev.otelanalytics.internal.activation.LastStart;
import dev.otelanalytics.internal.activation.ServiceIdentity;
import dev.otelanalytics.internal.config.AnalyticsConfig;
import dev.otelanalytics.internal.config.ControlSettings;
import dev.otelanalytics.internal.config.InvalidSettingException;
import dev.otelanalytics.internal.config.SdkSettings;
import dev.otelanalytics.internal.delivery.BatchSink;
import dev.otelanalytics.internal.delivery.BatchStore;
import dev.otelanalytics.internal.delivery.DebugPrinter;
import dev.otelanalytics.internal.delivery.DeliveryCounters;
import dev.otelanalytics.internal.delivery.DeliveryWorker;
import dev.otelanalytics.internal.delivery.EventMapper;
import dev.otelanalytics.internal.delivery.LocalHistoryCopy;
import dev.otelanalytics.internal.delivery.LocalSink;
import dev.otelanalytics.internal.delivery.MemoryBatchStore;
import dev.otelanalytics.internal.delivery.Outbox;
import dev.otelanalytics.internal.delivery.OutboxSink;
import dev.otelanalytics.internal.delivery.RetryPolicy;
import dev.otelanalytics.internal.delivery.SenderProcessSink;
import dev.otelanalytics.internal.destination.FileDestination;
import dev.otelanalytics.internal.destination.LocalStore;
import dev.otelanalytics.internal.event.SpanEventMapper;
import dev.otelanalytics.internal.event.SpanSelector;
import dev.otelanalytics.internal.scrub.AttributeScrubber;
import dev.otelanalytics.internal.sender.SenderProcessLaunch;
import dev.otelanalytics.internal.state.InstallIdentity;
import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.internal.state.StateDirectoryCheck;
import dev.otelanalytics.policy.PrivacyPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Builds {@link OtelAnalytics}; every setter validates its argument.
 *
 * <p>What the code sets here is the app developer's part: the policy, the destination, delivery
 * tuning. What the person running the app chose always applies on top, exactly as for the SDK
 * autoconfigure and the Java agent: {@code DO_NOT_TRACK}, the app's own opt-out variable
 * ({@code OTEL_ANALYTICS_OPT_OUT_ENV}), {@code OTEL_SDK_DISABLED=true}, {@code OTEL_ANALYTICS_LEVEL},
 * {@code OTEL_ANALYTICS_ENABLED=false}, {@code OTEL_ANALYTICS_SERVICES}, the first-run notice
 * ({@code OTEL_ANALYTICS_NOTICE}) and the level stored with the {@code level} command. The most
 * private of them wins; {@link OtelAnalytics#level()} tells the outcome. They are read from
 * system properties, then environment variables; {@link #setSettings} and {@link #setEnvironment}
 * can add other sources, but code can never make a run less private than the process's own
 * settings and environment ask. There is deliberately no way to ignore them. Each start that
 * collects is recorded in the state directory, so that {@code telemetry status} reports what
 * the app really does.
 */
public final class OtelAnalyticsBuilder {
  private static final Logger logger = Logger.getLogger(OtelAnalyticsBuilder.class.getName());

  private String serviceName;
  private Function<String, String> settings = AnalyticsControl::systemSetting;
  private Function<String, String> environment = System::getenv;
  private boolean codeSuppliesSettings;
  private boolean codeSuppliesEnvironment;
  private PrintStream noticeOut = System.err;
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
  private long outboxMaxBytes = AnalyticsConfig.DEFAULT_OUTBOX_MAX_BYTES;
  private Duration initialBackoff = AnalyticsConfig.DEFAULT_INITIAL_BACKOFF;
  private Duration maxBackoff = AnalyticsConfig.DEFAULT_MAX_BACKOFF;
  private boolean localHistory = true;
  private Duration localRetention = AnalyticsConfig.DEFAULT_LOCAL_RETENTION;
  private boolean forwarding;

  OtelAnalyticsBuilder() {}

  /**
   * The program's name ({@code service.name}): events carry it, it names the default state
   * directory and it is matched against {@code OTEL_ANALYTICS_SERVICES}. Give the same name to
   * {@link AnalyticsControl#fromEnvironment} for the program's {@code telemetry} command, so that
   * a {@code level off} stored there reaches this analytics. {@code OTEL_SERVICE_NAME} (or
   * {@code service.name} in {@code OTEL_RESOURCE_ATTRIBUTES}), when set, wins over it, for both
   * of them alike. With neither, analytics stays off (one warning): the SDK's fallback name
   * {@code unknown_service:java} is not accepted, because no {@code telemetry} command could find
   * the choices stored under it.
   *
   * @param serviceName the name, not empty
   * @return this builder
   */
  public OtelAnalyticsBuilder setServiceName(String serviceName) {
    this.serviceName = requireText(serviceName, "serviceName");
    return this;
  }

  /**
   * Where the analytics settings are read, by property name ({@code otel.analytics.level}), for
   * an app that keeps its configuration elsewhere. Default: the system property, else the
   * environment variable ({@code OTEL_ANALYTICS_LEVEL}), as OpenTelemetry reads its own settings.
   * This process's own system properties and environment variables still apply on top: a lower
   * level, {@code OTEL_ANALYTICS_ENABLED=false} or an opt-out there always wins over what this
   * function says. Hand the same function to {@link AnalyticsControl#create} for the
   * {@code telemetry} command.
   *
   * @param settings looks a setting up by its property name; returns null when it is not set
   * @return this builder
   */
  public OtelAnalyticsBuilder setSettings(Function<String, String> settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.codeSuppliesSettings = true;
    return this;
  }

  /**
   * Where opt-out variables ({@code DO_NOT_TRACK}, the app's own) are read. Default
   * {@code System::getenv}. The process's real environment still applies on top: code can add
   * an opt-out here, never take one away.
   *
   * @param environment looks an environment variable up by name; returns null when it is not set
   * @return this builder
   */
  public OtelAnalyticsBuilder setEnvironment(Function<String, String> environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
    this.codeSuppliesEnvironment = true;
    return this;
  }

  /**
   * Where the first-run notice ({@code OTEL_ANALYTICS_NOTICE}) is printed. Default {@code System.err}.
   *
   * @param out the stream
   * @return this builder
   */
  public OtelAnalyticsBuilder setNoticeOutput(PrintStream out) {
    this.noticeOut = Objects.requireNonNull(out, "out");
    return this;
  }

  /**
   * Where the install id, hash key and local store live. Default: {@code OTEL_ANALYTICS_STATE_DIR},
   * else per platform (see docs/configuration.md#state-directory), so that the {@code telemetry} command finds the same directory.
   *
   * @param stateDirectory the directory; created when first needed
   * @return this builder
   */
  public OtelAnalyticsBuilder setStateDirectory(Path stateDirectory) {
    this.stateDirectory = Objects.requireNonNull(stateDirectory, "stateDirectory");
    return this;
  }

  /**
   * The privacy policy; default {@link PrivacyPolicy#defaultPolicy()}.
   *
   * @param policy the policy every event must pass
   * @return this builder
   */
  public OtelAnalyticsBuilder setPolicy(PrivacyPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * A shared HMAC key (at least 16 bytes), so that all instances produce the same hashes.
   * Default: a random per-install key kept in the state directory.
   *
   * @param hashKey the key; copied
   * @return this builder
   * @throws IllegalArgumentException when {@code hashKey} is shorter than 16 bytes
   */
  public OtelAnalyticsBuilder setHashKey(byte[] hashKey) {
    Objects.requireNonNull(hashKey, "hashKey");
    if (hashKey.length < AnalyticsConfig.MIN_HASH_KEY_LENGTH) {
      throw new IllegalArgumentException("hashKey must be at least " + AnalyticsConfig.MIN_HASH_KEY_LENGTH + " bytes");
    }
    this.hashKey = hashKey.clone();
    return this;
  }

  /**
   * Where events go; default the local store (daily JSONL files) in the state directory's {@code events/}.
   *
   * @param destination the destination; a remote one is used at level {@code anonymous} only (at a
   *     lower level it is closed and events stay in the local store)
   * @return this builder
   */
  public OtelAnalyticsBuilder setDestination(Destination destination) {
    this.destination = Objects.requireNonNull(destination, "destination");
    return this;
  }

  /**
   * Prints every scrubbed event to {@code System.err} before it is sent.
   *
   * @param debug true to print; false (the default) to print nothing, also undoing {@link #setDebugOutput}
   * @return this builder
   */
  public OtelAnalyticsBuilder setDebug(boolean debug) {
    this.debugOut = debug ? System.err : null;
    return this;
  }

  /**
   * Prints every scrubbed event to {@code out} before it is sent.
   *
   * @param out the stream; not used when the destination prints events itself (the console)
   * @return this builder
   */
  public OtelAnalyticsBuilder setDebugOutput(PrintStream out) {
    this.debugOut = Objects.requireNonNull(out, "out");
    return this;
  }

  /**
   * Put in front of every event name, e.g. {@code cf:}: up to 32 letters or {@code _ . : $ -}; empty for none.
   *
   * @param eventPrefix the prefix; empty (the default) for none
   * @return this builder
   * @throws IllegalArgumentException when it has more than 32 characters or one that is not allowed
   */
  public OtelAnalyticsBuilder setEventPrefix(String eventPrefix) {
    Objects.requireNonNull(eventPrefix, "eventPrefix");
    if (!eventPrefix.isEmpty() && !AnalyticsConfig.EVENT_PREFIX_PATTERN.matcher(eventPrefix).matches()) {
      throw new IllegalArgumentException("eventPrefix must be 1 to 32 letters or _ . : $ -, e.g. cf:");
    }
    this.eventPrefix = eventPrefix;
    return this;
  }

  /**
   * Most spans waiting to be mapped; more are dropped and counted. Default 16384 (about 21 MB of
   * heap when full, with ten attributes per span).
   *
   * @param queueSize the capacity in spans, at least 1
   * @return this builder
   * @throws IllegalArgumentException when {@code queueSize} is below 1
   */
  public OtelAnalyticsBuilder setQueueSize(int queueSize) {
    this.queueSize = positive(queueSize, "queueSize");
    return this;
  }

  /**
   * Most events handed to the destination at once. Default 100.
   *
   * @param batchSize the size in events, at least 1; the destination's own limit still applies (GA4: 25)
   * @return this builder
   * @throws IllegalArgumentException when {@code batchSize} is below 1
   */
  public OtelAnalyticsBuilder setBatchSize(int batchSize) {
    this.batchSize = positive(batchSize, "batchSize");
    return this;
  }

  /**
   * Longest time an event waits for its batch to fill. Default 5 s.
   *
   * @param flushInterval the time, positive
   * @return this builder
   * @throws IllegalArgumentException when {@code flushInterval} is zero or negative
   */
  public OtelAnalyticsBuilder setFlushInterval(Duration flushInterval) {
    Objects.requireNonNull(flushInterval, "flushInterval");
    if (flushInterval.isZero() || flushInterval.isNegative()) {
      throw new IllegalArgumentException("flushInterval must be positive");
    }
    this.flushInterval = flushInterval;
    return this;
  }

  /**
   * The most that shutdown may delay the host's exit. Default 1 s.
   *
   * @param shutdownTimeout the time, zero or more
   * @return this builder
   * @throws IllegalArgumentException when {@code shutdownTimeout} is negative
   */
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
   * oldest are dropped and counted. Default 64 MiB (about 140,000 events).
   *
   * @param bytes the bound in bytes, at least 1024
   * @return this builder
   * @throws IllegalArgumentException when {@code bytes} is below 1024
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
   * capped at {@code max}. Default 1 s up to 5 min. A server's {@code Retry-After} sets the
   * shortest wait (at least 1 s, at most 5 min).
   *
   * @param initial the ceiling of the first wait, positive
   * @param max the longest wait, at least {@code initial}
   * @return this builder
   * @throws IllegalArgumentException when {@code initial} is not positive or {@code max} is shorter than it
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
   *
   * @param keep false to keep no local copy of what is sent
   * @return this builder
   */
  public OtelAnalyticsBuilder setLocalHistory(boolean keep) {
    this.localHistory = keep;
    return this;
  }

  /**
   * How long the local store keeps events; older daily files are deleted at start. Default 90 days.
   *
   * @param retention the time, at least 1 day; counted in whole days
   * @return this builder
   * @throws IllegalArgumentException when {@code retention} is null or shorter than 1 day
   */
  public OtelAnalyticsBuilder setLocalRetention(Duration retention) {
    if (retention == null || retention.compareTo(Duration.ofDays(1)) < 0) {
      throw new IllegalArgumentException("local retention must be at least 1 day");
    }
    this.localRetention = retention;
    return this;
  }

  /**
   * Whether this process forwards other services' spans (the OTLP relay does) rather than
   * reporting its own. When true:
   *
   * <ul>
   *   <li>each event keeps the {@code service.name} of its span's own resource (still checked by
   *       the value guards, and only when the policy's {@code resource.allow} lists it), instead of
   *       this process's service name; and no resource attribute is filled in from this machine
   *       (such as {@code os.type});
   *   <li>a value of an attribute the policy hashes that a gateway Collector marked as its hash
   *       ({@code hmac:} and 32 lowercase hex characters, what the generated gateway configuration
   *       writes with the same {@code OTEL_ANALYTICS_HASH_KEY}) is kept without the mark instead
   *       of being hashed a second time; any other value is hashed as usual, a raw identifier of
   *       32 lowercase hex characters included. Only a sender that writes the mark on purpose
   *       gets a value through unhashed: see docs/relay.md.
   * </ul>
   *
   * Default false.
   *
   * @param forwarding true for a process that forwards other services' spans
   * @return this builder
   */
  public OtelAnalyticsBuilder setForwarding(boolean forwarding) {
    this.forwarding = forwarding;
    return this;
  }

  /**
   * The control for the app's {@code telemetry} command, for exactly the analytics this builder
   * sets up: the same service name, settings, state directory, policy and destination. So
   * {@code status} and {@code policy} describe what {@link #build()} collects (an unset
   * {@code OTEL_ANALYTICS_ENABLED} means on, as for {@code build()}), and a {@code level off}
   * stored through it reaches it. Starts nothing, shows no notice and writes nothing.
   *
   * <pre>{@code
   * OtelAnalyticsBuilder analytics = OtelAnalytics.builder().setServiceName("my-cli").setPolicy(policy);
   * if (args.length > 0 && args[0].equals("telemetry")) {
   *   System.exit(AnalyticsCli.run(analytics.buildControl(), "my-cli telemetry",
   *       Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
   * }
   * }</pre>
   *
   * @return the control
   * @throws IllegalStateException when no service name is set ({@link #setServiceName} or {@code OTEL_SERVICE_NAME})
   */
  public AnalyticsControl buildControl() {
    String name = ServiceIdentity.inForce(settings, serviceName);
    if (!ServiceIdentity.isNamed(name)) {
      throw new IllegalStateException("the telemetry command needs the program's name: call setServiceName (or set"
          + " OTEL_SERVICE_NAME) before buildControl()");
    }
    return new AnalyticsControl(name, serviceName != null ? serviceName : name, environment,
        ControlledSetup.fromCode(settings, codeSuppliesSettings, codeSuppliesEnvironment, stateDirectory, policy, destination,
            localRetention));
  }

  /**
   * Decides whether analytics runs (see the class comment), and when it does, starts the delivery
   * worker. A state directory that cannot be written does not stop it: the identity then lives for
   * this run only (logged once). One that another user owns or can write to, a link or file in it
   * that is not the user's own, a damaged stored identity, or no default directory (a home
   * directory that is not an absolute path) keeps analytics off, with one warning that names the
   * path and the fix (see docs/configuration.md#state-directory). When analytics is off, nothing
   * is started or written and the processor and exporters do nothing.
   *
   * @return the analytics instance, on or off
   */
  public OtelAnalytics build() {
    // The SDK autoconfigure and the agent hand their configuration over as SdkSettings: analytics
    // was asked for by the settings then, and those already hold this process's own.
    boolean fromSdk = settings instanceof SdkSettings;
    Activation.EntryPoint wayIn = fromSdk ? Activation.EntryPoint.SETTINGS : Activation.EntryPoint.CODE;
    String name = fromSdk ? serviceName : ServiceIdentity.inForce(settings, serviceName);
    ControlSettings controls;
    ControlSettings processControls;
    try {
      controls = ControlSettings.parse(settings);
      processControls = fromSdk || !codeSuppliesSettings ? controls : ControlSettings.parse(AnalyticsControl::systemSetting);
    } catch (InvalidSettingException e) {
      logger.warning("otel-analytics is off: " + e.getMessage());
      return off(StateDirectory.resolve(stateDirectory, name));
    }
    StateDirectory state = StateDirectory.resolve(stateDirectory != null ? stateDirectory : controls.stateDir(), name);
    ActivationDecision decision = Activation.decide(controls, wayIn, environment, state.choices(), name);
    if (!fromSdk && (codeSuppliesSettings || codeSuppliesEnvironment)) {
      // What the code supplies never outranks the person's own environment: the most private wins.
      decision = Activation.mostPrivate(decision,
          Activation.decide(processControls, Activation.EntryPoint.CODE, System::getenv, state.choices(), name));
    }
    if (decision.isOff()) {
      if (decision.enabled() && !ServiceIdentity.isNamed(name)) {
        logger.warning("otel-analytics is off: " + ServiceIdentity.unnamedReason(name));
      } else {
        logger.fine("otel-analytics: off (" + (decision.enabled() ? String.join(", ", decision.reasons())
            : "OTEL_ANALYTICS_ENABLED is false") + ")");
      }
      return off(state);
    }
    // As ssh does: a directory (or a file in it) that another user could have prepared or can
    // change is refused, before anything is written there; so is a damaged identity.
    StateDirectoryCheck.Outcome checked = StateDirectoryCheck.forStart(state, hashKey != null);
    if (checked.refusal() != null) {
      logger.warning("otel-analytics is off: " + checked.refusal());
      return off(state);
    }
    state = checked.state();
    decision = Activation.showNoticeIfDue(decision, state, noticeOut);
    StateDirectory started = state;
    AnalyticsLevel level = decision.level();
    // On the worker thread: today's local date needs the time-zone rules, about 15 ms to load.
    Runnable onStarted = fromSdk ? ((SdkSettings) settings).onStarted() : null;
    Runnable recordStart = () -> {
      if (!new LastStart(wayIn, level, LocalDate.now()).store(started)) {
        logger.fine("otel-analytics: could not record this start in " + LogText.path(started.root()));
      }
      if (onStarted != null) {
        onStarted.run();
      }
    };
    Map<String, String> senderProcessSettings = fromSdk ? ((SdkSettings) settings).senderProcessSettings() : null;
    return start(state, level, name, recordStart, senderProcessSettings);
  }

  private OtelAnalytics off(StateDirectory state) {
    if (destination != null) {
      closeQuietly(destination);
    }
    return OtelAnalytics.off(state);
  }

  private OtelAnalytics start(StateDirectory state, AnalyticsLevel level, String name, Runnable recordStart,
      Map<String, String> senderProcessSettings) {
    PrivacyPolicy chosenPolicy = policy;
    // Forwarding: the spans come from other services, on other machines; they name themselves.
    boolean keepHashes = forwarding;
    Map<String, String> resourceOverrides =
        forwarding ? Collections.<String, String>emptyMap() : Collections.singletonMap("service.name", name);
    String osType = forwarding ? null : OsType.current();
    Map<String, String> resourceDefaults =
        osType == null ? Collections.<String, String>emptyMap() : Collections.singletonMap("os.type", osType);
    byte[] key = hashKey;
    String prefix = eventPrefix;
    Path eventsDir = state.eventsDirectory();
    Duration retention = localRetention;
    // Level local: nothing leaves the machine, whatever the destination.
    Destination target = destination != null && (level == AnalyticsLevel.ANONYMOUS || !destination.isRemote())
        ? destination : FileDestination.create(eventsDir);
    if (target != destination && destination != null) {
      closeQuietly(destination);
    }
    boolean usesLocalStore = target instanceof FileDestination || (target.isRemote() && localHistory);
    // Runs on the worker thread: recording this start for status, reading or creating the identity
    // files, seeding the random generator and trimming the local store overlap the app's own work.
    // The identity and scrubber are shared with the usage-report exporters, whichever asks first.
    Memoized<InstallIdentity> identity = Memoized.of(() -> InstallIdentity.load(state, key));
    Memoized<AttributeScrubber> scrubber = Memoized.of(() -> new AttributeScrubber(chosenPolicy, identity.get().hasher(), resourceOverrides, resourceDefaults,
        keepHashes));
    Supplier<EventMapper> setup = () -> {
      recordStart.run();
      String installId = identity.get().installId();
      if (usesLocalStore) {
        purgeLocalStore(eventsDir, retention);
      }
      SpanEventMapper mapper = new SpanEventMapper(scrubber.get(), installId, prefix);
      return mapper::map;
    };
    DeliveryCounters counters = new DeliveryCounters();
    List<Consumer<List<AnalyticsEvent>>> observers = new ArrayList<>();
    if (debugOut != null && !target.printsEvents()) {
      observers.add(new DebugPrinter(debugOut));
    }
    BatchSink sink;
    if (target.isRemote()) {
      if (localHistory) {
        observers.add(new LocalHistoryCopy(FileDestination.create(eventsDir)));
      }
      SenderProcessLaunch launch = senderProcessSettings == null ? null
          : SenderProcessLaunch.prepare(senderProcessSettings, state, outboxMaxBytes, initialBackoff, maxBackoff);
      sink = launch != null
          ? new SenderProcessSink(target.name(), outboxOpener(state, counters), counters, launch::start, launch::lastStop)
          : new OutboxSink(target, outboxOpener(state, counters), new RetryPolicy(initialBackoff, maxBackoff, new Random()),
              counters, queueSize);
    } else {
      sink = new LocalSink(target, counters);
    }
    // A batch is one request: never larger than the destination takes (GA4: 25 events).
    int effectiveBatchSize = Math.min(batchSize, target.maxBatchSize());
    DeliveryWorker worker = new DeliveryWorker(setup, sink, observers, queueSize, effectiveBatchSize, flushInterval, counters);
    SharedWorker shared = new SharedWorker(worker, shutdownTimeout,
        () -> new DeliveryStats(counters, worker.queued(), scrubber.peek(), sink.waiting(), sink.stoppedReason()));
    AnalyticsSpanProcessor processor =
        new AnalyticsSpanProcessor(SpanSelector.of(chosenPolicy.spanSelectors()), worker, counters, shared.acquire());
    return new OtelAnalytics(level, processor, shared, counters, state, target.name(), target.isRemote(), chosenPolicy, prefix,
        identity, scrubber);
  }

  /** Opens the outbox on the worker thread; memory when the disk cannot be used. The sink takes over earlier runs' batches. */
  private Callable<BatchStore> outboxOpener(StateDirectory state, DeliveryCounters counters) {
    long maxBytes = outboxMaxBytes;
    int memoryFallbackEvents = queueSize;
    return () -> {
      try {
        return Outbox.open(state.outboxDirectory(), maxBytes, counters);
      } catch (IOException e) {
        logger.warning("otel-analytics: the outbox in " + LogText.path(state.root()) + " cannot be used ("
            + e.getClass().getSimpleName() + "); undelivered events are kept in memory only. Set OTEL_ANALYTICS_STATE_DIR"
            + " to a writable directory.");
        return new MemoryBatchStore(memoryFallbackEvents, counters);
      }
    };
  }

  private static void closeQuietly(Destination unused) {
    try {
      unused.close();
    } catch (IOException | RuntimeException e) {
      logger.fine("otel-analytics: closing an unused destination failed (" + e.getClass().getSimpleName() + ")");
    }
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
