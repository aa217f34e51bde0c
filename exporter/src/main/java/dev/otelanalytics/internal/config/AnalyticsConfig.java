package dev.otelanalytics.internal.config;

import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.destination.Ga4Destination;
import dev.otelanalytics.destination.PostHogDestination;
import dev.otelanalytics.policy.PolicyException;
import dev.otelanalytics.policy.PolicyLoader;
import dev.otelanalytics.policy.PrivacyPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Every setting, read once and validated by one {@link SettingsReader}: the
 * {@link ControlSettings} the on/off decision is made from, the {@link MetricsConfig usage-report
 * settings}, the destination's, and the tuning of delivery. Each {@code OTEL_ANALYTICS_FOO_BAR}
 * environment variable is also the system property {@code otel.analytics.foo.bar}
 * (OpenTelemetry's mapping; a system property wins). A bad value is an
 * {@link InvalidSettingException} with one line that names the setting, the value and what is
 * accepted. The defaults live here, once: the programmatic builder starts from the same ones.
 */
public final class AnalyticsConfig {
  public static final String ENABLED = "otel.analytics.enabled";
  public static final String SERVICES = "otel.analytics.services";
  public static final String LEVEL = "otel.analytics.level";
  public static final String DESTINATION = "otel.analytics.destination";
  public static final String DEBUG = "otel.analytics.debug";
  public static final String OPT_OUT_ENV = "otel.analytics.opt.out.env";
  public static final String POLICY_FILE = "otel.analytics.policy.file";
  public static final String ALLOWED_ATTRIBUTES = "otel.analytics.allowed.attributes";
  public static final String HASHED_ATTRIBUTES = "otel.analytics.hashed.attributes";
  public static final String EVENTS = "otel.analytics.events";
  public static final String EVENT_PREFIX = "otel.analytics.event.prefix";
  public static final String HASH_KEY = "otel.analytics.hash.key";
  public static final String STATE_DIR = "otel.analytics.state.dir";
  public static final String QUEUE_SIZE = "otel.analytics.queue.size";
  public static final String BATCH_SIZE = "otel.analytics.batch.size";
  public static final String FLUSH_INTERVAL = "otel.analytics.flush.interval";
  public static final String SHUTDOWN_TIMEOUT = "otel.analytics.shutdown.timeout";
  public static final String EXPORT_TIMEOUT = "otel.analytics.export.timeout";
  public static final String NOTICE = "otel.analytics.notice";
  public static final String LOCAL_RETENTION = "otel.analytics.local.retention";
  public static final String OUTBOX_MAX_SIZE = "otel.analytics.outbox.max.size";
  public static final String SENDER = "otel.analytics.sender";
  public static final String POSTHOG_ENDPOINT = "otel.exporter.posthog.endpoint";
  public static final String POSTHOG_API_KEY = "otel.exporter.posthog.api.key";
  public static final String POSTHOG_COMPRESSION = "otel.exporter.posthog.compression";
  public static final String GA4_ENDPOINT = "otel.exporter.ga4.endpoint";
  public static final String GA4_MEASUREMENT_ID = "otel.exporter.ga4.measurement.id";
  public static final String GA4_API_SECRET = "otel.exporter.ga4.api.secret";

  /**
   * A span waiting in the queue holds about 1.3 KB of heap with ten attributes (0.8 KB with one,
   * 3.9 KB with fifty; {@code QueuedSpanMemory} in benchmarks/), so a full queue holds about 21 MB:
   * enough for a burst of about 16,000 root spans faster than the worker maps them (9,000 to
   * 18,000 a second on a 2-core machine, see BENCHMARKS.md), and nothing while it is empty.
   */
  public static final int DEFAULT_QUEUE_SIZE = 16_384;
  public static final int DEFAULT_BATCH_SIZE = 100;
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(1);
  public static final Duration DEFAULT_LOCAL_RETENTION = Duration.ofDays(90);
  /**
   * Default bound of the outbox: 64 MiB, about 140,000 events. Measured: a burst of 200,000 events
   * from 4 threads against a local endpoint peaked at 31 MB of outbox and lost none; 10 MiB lost 94,600.
   */
  public static final long DEFAULT_OUTBOX_MAX_BYTES = 64L * 1024 * 1024;
  /** First backoff after a failed delivery attempt. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
  /** Longest backoff between delivery attempts. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);
  /** The first-run notice shown for {@code OTEL_ANALYTICS_NOTICE=true}. */
  public static final String DEFAULT_NOTICE = "This program collects anonymous usage analytics (which commands run, how long they"
      + " take, whether they fail) to improve it. Nothing is sent during this run. To see what is collected or to turn it"
      + " off, run its telemetry status command, or set DO_NOT_TRACK=1.";
  /** Shortest shared hash key accepted: a shorter one can be guessed. */
  public static final int MIN_HASH_KEY_LENGTH = 16;

  /** Event name prefixes: letters and {@code _ . : $ -}; no digits, so a prefix can never complete a number. */
  public static final Pattern EVENT_PREFIX_PATTERN = Pattern.compile("[A-Za-z_.:$-]{1,32}");

  private final ControlSettings controls;
  private final MetricsConfig metrics;
  private final DestinationType destination;
  private final boolean debug;
  private final PrivacyPolicy policy;
  private final String eventPrefix;
  private final byte[] hashKey;
  private final int queueSize;
  private final int batchSize;
  private final Duration flushInterval;
  private final Duration shutdownTimeout;
  private final Duration exportTimeout;
  private final long outboxMaxBytes;
  private final PostHogDestination postHog;
  private final Ga4Destination ga4;
  private final Duration localRetention;
  private final boolean senderProcess;
  private final Map<String, String> destinationSettings;

  private AnalyticsConfig(Function<String, String> properties, PolicyCache policyCache) throws InvalidSettingException {
    SettingsReader r = new SettingsReader(properties);
    controls = ControlSettings.read(r);
    metrics = MetricsConfig.read(r);
    destination = destination(r);
    debug = r.bool(DEBUG, false);
    policy = policy(r, metrics, policyCache);
    eventPrefix = eventPrefix(r);
    hashKey = hashKey(r);
    queueSize = r.integer(QUEUE_SIZE, DEFAULT_QUEUE_SIZE, 1, 1_000_000);
    batchSize = r.integer(BATCH_SIZE, DEFAULT_BATCH_SIZE, 1, 10_000);
    flushInterval = r.duration(FLUSH_INTERVAL, DEFAULT_FLUSH_INTERVAL, Duration.ofMillis(1), Duration.ofDays(1));
    shutdownTimeout = r.duration(SHUTDOWN_TIMEOUT, DEFAULT_SHUTDOWN_TIMEOUT, Duration.ZERO, Duration.ofMinutes(1));
    exportTimeout = exportTimeout(r);
    outboxMaxBytes = r.byteSize(OUTBOX_MAX_SIZE, DEFAULT_OUTBOX_MAX_BYTES);
    // Validated whenever configured, whatever the level: a mistake is reported before it matters.
    postHog = destination == DestinationType.POSTHOG ? PostHogSettings.read(r, exportTimeout) : null;
    ga4 = destination == DestinationType.GA4 ? Ga4Settings.read(r, exportTimeout) : null;
    localRetention = r.duration(LOCAL_RETENTION, DEFAULT_LOCAL_RETENTION, Duration.ofDays(1), Duration.ofDays(3650));
    senderProcess = senderProcess(r);
    destinationSettings = destinationSettings(properties);
  }

  /** The settings a remote destination is made from, and only those: what a sender process is handed. */
  private static final List<String> DESTINATION_SETTINGS = Collections.unmodifiableList(Arrays.asList(
      DESTINATION, EXPORT_TIMEOUT, POSTHOG_ENDPOINT, POSTHOG_API_KEY, POSTHOG_COMPRESSION, GA4_ENDPOINT, GA4_MEASUREMENT_ID,
      GA4_API_SECRET));

  private static Map<String, String> destinationSettings(Function<String, String> properties) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : DESTINATION_SETTINGS) {
      String value = properties.apply(name);
      if (value != null) {
        values.put(name, value);
      }
    }
    return Collections.unmodifiableMap(values);
  }

  /**
   * The remote destination (PostHog or GA4) the destination settings describe, and nothing else
   * read: how a sender process makes its destination from the settings it was handed.
   *
   * @throws InvalidSettingException when a setting is wrong, or the destination is not a remote one
   */
  public static Destination remoteDestination(Function<String, String> properties) throws InvalidSettingException {
    SettingsReader r = new SettingsReader(properties);
    DestinationType type = destination(r);
    Duration timeout = exportTimeout(r);
    if (type == DestinationType.POSTHOG) {
      return PostHogSettings.read(r, timeout);
    }
    if (type == DestinationType.GA4) {
      return Ga4Settings.read(r, timeout);
    }
    throw InvalidSettingException.badValue(DESTINATION, type.settingValue(), "posthog or ga4 for a sender process");
  }

  private static Duration exportTimeout(SettingsReader r) throws InvalidSettingException {
    // Unset: the destination builder's own default (10 s).
    return r.optionalDuration(EXPORT_TIMEOUT, Duration.ofMillis(100), Duration.ofMinutes(5), "10s");
  }

  private static boolean senderProcess(SettingsReader r) throws InvalidSettingException {
    String value = r.raw(SENDER);
    if (value == null || value.equalsIgnoreCase("thread")) {
      return false;
    }
    if (value.equalsIgnoreCase("process")) {
      return true;
    }
    throw InvalidSettingException.badValue(SENDER, value,
        "thread (a thread of this process sends, the default) or process (a sender process started at exit: for command-line tools)");
  }

  /**
   * Reads every setting.
   *
   * @param properties looks a setting up by its property name (e.g. {@code ConfigProperties::getString})
   */
  public static AnalyticsConfig parse(Function<String, String> properties) throws InvalidSettingException {
    return new AnalyticsConfig(properties, null);
  }

  /**
   * Reads every setting, the policy file through {@code policyCache}: compiled in an earlier run,
   * it is read without the YAML parser.
   *
   * @param properties looks a setting up by its property name
   * @param policyCache the state directory's compiled policy, or null
   */
  public static AnalyticsConfig parse(Function<String, String> properties, PolicyCache policyCache)
      throws InvalidSettingException {
    return new AnalyticsConfig(properties, policyCache);
  }

  /**
   * Reads only {@code OTEL_ANALYTICS_ENABLED}, so a service that has analytics off pays
   * nothing for (and is never warned about) the other settings.
   */
  public static boolean isEnabled(Function<String, String> properties) throws InvalidSettingException {
    return new SettingsReader(properties).bool(ENABLED, false);
  }

  /** Reads only {@code OTEL_ANALYTICS_SERVICES}: the services analytics applies to; empty means any. */
  public static List<String> services(Function<String, String> properties) {
    return new SettingsReader(properties).list(SERVICES);
  }

  /** The settings the on/off decision is made from. */
  public ControlSettings controls() {
    return controls;
  }

  /** The usage-report settings (already applied to {@link #policy()}). */
  public MetricsConfig metrics() {
    return metrics;
  }

  /** {@code OTEL_ANALYTICS_ENABLED}; false when not set. */
  public boolean enabled() {
    return Boolean.TRUE.equals(controls.enabled());
  }

  /** {@code service.name}s analytics applies to; empty means any. */
  public List<String> services() {
    return controls.services();
  }

  public AnalyticsLevel level() {
    return controls.level();
  }

  public DestinationType destination() {
    return destination;
  }

  public boolean debug() {
    return debug;
  }

  /** Name of the app's own opt-out variable, or null. */
  public String optOutEnv() {
    return controls.optOutEnv();
  }

  /** The policy file (or the built-in policy) plus the extra keys and event selection from settings. */
  public PrivacyPolicy policy() {
    return policy;
  }

  /** Prefix for event names; empty for none. */
  public String eventPrefix() {
    return eventPrefix;
  }

  /** The shared HMAC key, or null to use the per-install key. */
  public byte[] hashKey() {
    return hashKey == null ? null : hashKey.clone();
  }

  /** The configured state directory, or null for the platform default. */
  public Path stateDir() {
    return controls.stateDir();
  }

  public int queueSize() {
    return queueSize;
  }

  public int batchSize() {
    return batchSize;
  }

  public Duration flushInterval() {
    return flushInterval;
  }

  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** The GA4 destination from the {@code OTEL_EXPORTER_GA4_*} settings (see {@link #postHogDestination()}); else null. */
  public Ga4Destination ga4Destination() {
    return ga4;
  }

  /** The first-run notice text, or null for none. */
  public String notice() {
    return controls.notice();
  }

  /** How long the local store keeps events. */
  public Duration localRetention() {
    return localRetention;
  }

  /** {@code OTEL_ANALYTICS_EXPORT_TIMEOUT}, or null to keep the destination's default. */
  public Duration exportTimeout() {
    return exportTimeout;
  }

  public long outboxMaxBytes() {
    return outboxMaxBytes;
  }

  /**
   * {@code OTEL_ANALYTICS_SENDER=process}: a remote destination's batches are sent by a sender
   * process started when this process exits, not by a thread of it.
   */
  public boolean senderProcess() {
    return senderProcess;
  }

  /** The destination's settings as they were read (the API key among them): what a sender process is handed. */
  public Map<String, String> destinationSettings() {
    return destinationSettings;
  }

  /**
   * The PostHog destination, built from the {@code OTEL_EXPORTER_POSTHOG_*} settings, when the
   * destination is {@code posthog}; else null. Whether it is used depends on the level in force.
   */
  public PostHogDestination postHogDestination() {
    return postHog;
  }

  @Override
  public String toString() {
    return "AnalyticsConfig{enabled=" + enabled() + ", services=" + services() + ", level=" + level().settingValue()
        + ", destination=" + destination.settingValue() + ", debug=" + debug + ", optOutEnv=" + optOutEnv()
        + ", policy=" + policy + ", eventPrefix=" + eventPrefix + ", hashKey=" + (hashKey == null ? "per-install" : "<redacted>")
        + ", stateDir=" + stateDir() + ", queueSize=" + queueSize + ", batchSize=" + batchSize
        + ", flushInterval=" + flushInterval + ", shutdownTimeout=" + shutdownTimeout
        + ", exportTimeout=" + exportTimeout + ", outboxMaxBytes=" + outboxMaxBytes + ", postHog=" + postHog + ", ga4=" + ga4 + "}";
  }

  private static DestinationType destination(SettingsReader r) throws InvalidSettingException {
    String value = r.raw(DESTINATION);
    if (value == null) {
      return DestinationType.FILE;
    }
    String v = value.toLowerCase(Locale.ROOT);
    for (DestinationType type : DestinationType.values()) {
      if (type.settingValue().equals(v)) {
        return type;
      }
    }
    throw InvalidSettingException.badValue(DESTINATION, value, "file, console, posthog or ga4");
  }

  private static String eventPrefix(SettingsReader r) throws InvalidSettingException {
    String value = r.raw(EVENT_PREFIX);
    if (value == null) {
      return "";
    }
    if (!EVENT_PREFIX_PATTERN.matcher(value).matches()) {
      throw InvalidSettingException.badValue(EVENT_PREFIX, value,
          "1 to 32 letters or _ . : $ -, e.g. cf:");
    }
    return value;
  }

  private static byte[] hashKey(SettingsReader r) throws InvalidSettingException {
    // Surrounding whitespace (a secret file's trailing newline) is not part of the key, so
    // every instance gets the same hashes however the secret was mounted.
    String value = r.raw(HASH_KEY);
    if (value == null) {
      return null;
    }
    if (value.length() < MIN_HASH_KEY_LENGTH) {
      // Never echo the key itself.
      throw InvalidSettingException.problem(HASH_KEY, "the key is " + value.length() + " characters long; use at least "
          + MIN_HASH_KEY_LENGTH + " random characters (e.g. the output of 'openssl rand -hex 32')");
    }
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private static PrivacyPolicy policy(SettingsReader r, MetricsConfig metrics, PolicyCache cache) throws InvalidSettingException {
    Path file = r.path(POLICY_FILE, "a file path to a YAML policy");
    PrivacyPolicy base;
    if (file == null) {
      base = PrivacyPolicy.defaultPolicy();
    } else {
      try {
        base = cache == null ? PolicyLoader.load(file) : cache.load(file);
      } catch (PolicyException e) {
        throw InvalidSettingException.problem(POLICY_FILE, e.getMessage());
      }
    }
    PrivacyPolicy.Builder builder = base.toBuilder();
    for (String key : r.list(ALLOWED_ATTRIBUTES)) {
      // A key the policy file already types keeps its type and reason; a new key is a token.
      if (!base.allowedAttributes().containsKey(key)) {
        SettingsReader.apply(ALLOWED_ATTRIBUTES, () -> builder.allowAttribute(key, "listed in OTEL_ANALYTICS_ALLOWED_ATTRIBUTES"));
      }
    }
    for (String key : r.list(HASHED_ATTRIBUTES)) {
      SettingsReader.apply(HASHED_ATTRIBUTES, () -> builder.hashAttribute(key, "listed in OTEL_ANALYTICS_HASHED_ATTRIBUTES"));
    }
    List<String> events = r.list(EVENTS);
    if (!events.isEmpty()) {
      SettingsReader.apply(EVENTS, () -> builder.setSpanSelectors(events));
    }
    metrics.applyTo(builder); // OTEL_ANALYTICS_ALLOWED_METRICS, _METRICS_* (usage reports)
    return builder.build();
  }
}
