package dev.otelanalytics.config;

import dev.otelanalytics.OtelAnalyticsBuilder;
import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.destination.Ga4Destination;
import dev.otelanalytics.destination.Ga4DestinationBuilder;
import dev.otelanalytics.destination.PostHogDestination;
import dev.otelanalytics.destination.PostHogDestinationBuilder;
import dev.otelanalytics.internal.DurationParser;
import dev.otelanalytics.policy.PolicyException;
import dev.otelanalytics.policy.PolicyLoader;
import dev.otelanalytics.policy.PrivacyPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Every setting, read once and validated. Each {@code OTEL_ANALYTICS_FOO_BAR} environment
 * variable is also the system property {@code otel.analytics.foo.bar} (OpenTelemetry's mapping;
 * a system property wins). A bad value is an {@link InvalidSettingException} with one line that
 * names the setting, the value and what is accepted.
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
  public static final String POSTHOG_ENDPOINT = "otel.exporter.posthog.endpoint";
  public static final String POSTHOG_API_KEY = "otel.exporter.posthog.api.key";
  public static final String POSTHOG_COMPRESSION = "otel.exporter.posthog.compression";
  public static final String GA4_ENDPOINT = "otel.exporter.ga4.endpoint";
  public static final String GA4_MEASUREMENT_ID = "otel.exporter.ga4.measurement.id";
  public static final String GA4_API_SECRET = "otel.exporter.ga4.api.secret";

  public static final int DEFAULT_QUEUE_SIZE = 2048;
  public static final int DEFAULT_BATCH_SIZE = 100;
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(1);
  public static final Duration DEFAULT_EXPORT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_LOCAL_RETENTION = Duration.ofDays(90);
  /** The first-run notice shown for {@code OTEL_ANALYTICS_NOTICE=true}. */
  public static final String DEFAULT_NOTICE = "This program collects anonymous usage analytics (which commands run, how long they"
      + " take, whether they fail) to improve it. Nothing is sent during this run. To see what is collected or to turn it"
      + " off, run its telemetry status command, or set DO_NOT_TRACK=1.";
  /** Shortest shared hash key accepted: a shorter one can be guessed. */
  public static final int MIN_HASH_KEY_LENGTH = 16;

  private static final Pattern SIZE = Pattern.compile("(\\d{1,13})\\s*([KMG]i?B|B)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** Event name prefixes: letters and {@code _ . : $ -}; no digits, so a prefix can never complete a number. */
  public static final Pattern EVENT_PREFIX_PATTERN = Pattern.compile("[A-Za-z_.:$-]{1,32}");

  private final boolean enabled;
  private final List<String> services;
  private final AnalyticsLevel level;
  private final DestinationType destination;
  private final boolean debug;
  private final String optOutEnv;
  private final PrivacyPolicy policy;
  private final String eventPrefix;
  private final byte[] hashKey;
  private final Path stateDir;
  private final int queueSize;
  private final int batchSize;
  private final Duration flushInterval;
  private final Duration shutdownTimeout;
  private final Duration exportTimeout;
  private final long outboxMaxBytes;
  private final PostHogDestination postHog;
  private final Ga4Destination ga4;
  private final String notice;
  private final Duration localRetention;

  private AnalyticsConfig(Reader r) throws InvalidSettingException {
    enabled = r.bool(ENABLED, false);
    services = r.list(SERVICES);
    level = r.level();
    destination = r.destination();
    debug = r.bool(DEBUG, false);
    optOutEnv = r.optOutEnv();
    policy = r.policy();
    eventPrefix = r.eventPrefix();
    hashKey = r.hashKey();
    stateDir = r.path(STATE_DIR, "a directory path");
    queueSize = r.integer(QUEUE_SIZE, DEFAULT_QUEUE_SIZE, 1, 1_000_000);
    batchSize = r.integer(BATCH_SIZE, DEFAULT_BATCH_SIZE, 1, 10_000);
    flushInterval = r.duration(FLUSH_INTERVAL, DEFAULT_FLUSH_INTERVAL, Duration.ofMillis(1), Duration.ofDays(1));
    shutdownTimeout = r.duration(SHUTDOWN_TIMEOUT, DEFAULT_SHUTDOWN_TIMEOUT, Duration.ZERO, Duration.ofMinutes(1));
    exportTimeout = r.duration(EXPORT_TIMEOUT, DEFAULT_EXPORT_TIMEOUT, Duration.ofMillis(100), Duration.ofMinutes(5));
    outboxMaxBytes = r.byteSize(OUTBOX_MAX_SIZE, OtelAnalyticsBuilder.DEFAULT_OUTBOX_MAX_BYTES);
    // Validated whenever configured, whatever the level: a mistake is reported before it matters.
    postHog = destination == DestinationType.POSTHOG ? r.postHog(exportTimeout) : null;
    ga4 = destination == DestinationType.GA4 ? r.ga4(exportTimeout) : null;
    notice = r.notice();
    localRetention = r.duration(LOCAL_RETENTION, DEFAULT_LOCAL_RETENTION, Duration.ofDays(1), Duration.ofDays(3650));
  }

  /**
   * Reads every setting.
   *
   * @param properties looks a setting up by its property name (e.g. {@code ConfigProperties::getString})
   */
  public static AnalyticsConfig parse(Function<String, String> properties) throws InvalidSettingException {
    return new AnalyticsConfig(new Reader(properties));
  }

  /**
   * Reads only {@code OTEL_ANALYTICS_ENABLED}, so a service that has analytics off pays
   * nothing for (and is never warned about) the other settings.
   */
  public static boolean isEnabled(Function<String, String> properties) throws InvalidSettingException {
    return new Reader(properties).bool(ENABLED, false);
  }

  /** Reads only {@code OTEL_ANALYTICS_SERVICES}: the services analytics applies to; empty means any. */
  public static List<String> services(Function<String, String> properties) {
    return new Reader(properties).list(SERVICES);
  }

  public boolean enabled() {
    return enabled;
  }

  /** {@code service.name}s analytics applies to; empty means any. */
  public List<String> services() {
    return services;
  }

  public AnalyticsLevel level() {
    return level;
  }

  public DestinationType destination() {
    return destination;
  }

  public boolean debug() {
    return debug;
  }

  /** Name of the app's own opt-out variable, or null. */
  public String optOutEnv() {
    return optOutEnv;
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
    return stateDir;
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
    return notice;
  }

  /** How long the local store keeps events. */
  public Duration localRetention() {
    return localRetention;
  }

  public Duration exportTimeout() {
    return exportTimeout;
  }

  public long outboxMaxBytes() {
    return outboxMaxBytes;
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
    return "AnalyticsConfig{enabled=" + enabled + ", services=" + services + ", level=" + level.settingValue()
        + ", destination=" + destination.settingValue() + ", debug=" + debug + ", optOutEnv=" + optOutEnv
        + ", policy=" + policy + ", eventPrefix=" + eventPrefix + ", hashKey=" + (hashKey == null ? "per-install" : "<redacted>")
        + ", stateDir=" + stateDir + ", queueSize=" + queueSize + ", batchSize=" + batchSize
        + ", flushInterval=" + flushInterval + ", shutdownTimeout=" + shutdownTimeout
        + ", exportTimeout=" + exportTimeout + ", outboxMaxBytes=" + outboxMaxBytes + ", postHog=" + postHog + ", ga4=" + ga4 + "}";
  }

  /** Reads and validates single settings. */
  private static final class Reader {
    private final Function<String, String> properties;

    Reader(Function<String, String> properties) {
      this.properties = properties;
    }

    String raw(String property) {
      String value = properties.apply(property);
      return value == null || value.trim().isEmpty() ? null : value.trim();
    }

    boolean bool(String property, boolean defaultValue) throws InvalidSettingException {
      String value = raw(property);
      if (value == null) {
        return defaultValue;
      }
      if (value.equalsIgnoreCase("true")) {
        return true;
      }
      if (value.equalsIgnoreCase("false")) {
        return false;
      }
      throw InvalidSettingException.badValue(property, value, "true or false");
    }

    List<String> list(String property) {
      String value = raw(property);
      if (value == null) {
        return Collections.emptyList();
      }
      List<String> out = new ArrayList<>();
      for (String item : value.split(",")) {
        if (!item.trim().isEmpty()) {
          out.add(item.trim());
        }
      }
      return Collections.unmodifiableList(out);
    }

    int integer(String property, int defaultValue, int min, int max) throws InvalidSettingException {
      String value = raw(property);
      if (value == null) {
        return defaultValue;
      }
      try {
        int parsed = Integer.parseInt(value);
        if (parsed >= min && parsed <= max) {
          return parsed;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw InvalidSettingException.badValue(property, value,
          "a whole number from " + min + " to " + max + " (default " + defaultValue + ")");
    }

    Duration duration(String property, Duration defaultValue, Duration min, Duration max) throws InvalidSettingException {
      String value = raw(property);
      if (value == null) {
        return defaultValue;
      }
      Duration parsed = DurationParser.parse(value);
      if (parsed == null || parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
        throw InvalidSettingException.badValue(property, value,
            DurationParser.ACCEPTED + ", from " + human(min) + " to " + human(max));
      }
      return parsed;
    }

    Path path(String property, String expected) throws InvalidSettingException {
      String value = raw(property);
      if (value == null) {
        return null;
      }
      try {
        return Paths.get(value);
      } catch (InvalidPathException e) {
        throw InvalidSettingException.badValue(property, value, expected);
      }
    }

    AnalyticsLevel level() throws InvalidSettingException {
      String value = raw(LEVEL);
      if (value == null) {
        return AnalyticsLevel.ANONYMOUS;
      }
      AnalyticsLevel level = AnalyticsLevel.parse(value);
      if (level == null) {
        throw InvalidSettingException.badValue(LEVEL, value, "off, local or anonymous");
      }
      return level;
    }

    DestinationType destination() throws InvalidSettingException {
      String value = raw(DESTINATION);
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

    long byteSize(String property, long defaultValue) throws InvalidSettingException {
      String value = raw(property);
      if (value == null) {
        return defaultValue;
      }
      java.util.regex.Matcher m = SIZE.matcher(value);
      if (m.matches()) {
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long factor;
        switch (unit) {
          case "kb": factor = 1000L; break;
          case "kib": factor = 1024L; break;
          case "mb": factor = 1000L * 1000; break;
          case "mib": factor = 1024L * 1024; break;
          case "gb": factor = 1000L * 1000 * 1000; break;
          case "gib": factor = 1024L * 1024 * 1024; break;
          default: factor = 1L; break;
        }
        long bytes = amount * factor;
        if (bytes >= 1024 && bytes <= 1024L * 1024 * 1024 * 1024) {
          return bytes;
        }
      }
      throw InvalidSettingException.badValue(property, value, "a size from 1KiB to 1TiB, e.g. 10MiB, 500KiB or 1GB");
    }

    PostHogDestination postHog(Duration timeout) throws InvalidSettingException {
      PostHogDestinationBuilder builder = PostHogDestination.builder().setTimeout(timeout);
      String key = raw(POSTHOG_API_KEY);
      if (key == null) {
        throw InvalidSettingException.problem(POSTHOG_API_KEY,
            "is not set; the posthog destination needs your project API key (phc_…, in PostHog under Project settings)");
      }
      try {
        builder.setApiKey(key);
      } catch (IllegalArgumentException e) {
        throw InvalidSettingException.problem(POSTHOG_API_KEY, e.getMessage());
      }
      String endpoint = raw(POSTHOG_ENDPOINT);
      if (endpoint != null) {
        try {
          builder.setEndpoint(endpoint);
        } catch (IllegalArgumentException e) {
          throw InvalidSettingException.problem(POSTHOG_ENDPOINT, e.getMessage());
        }
      }
      String compression = raw(POSTHOG_COMPRESSION);
      if (compression != null) {
        try {
          builder.setCompression(compression);
        } catch (IllegalArgumentException e) {
          throw InvalidSettingException.badValue(POSTHOG_COMPRESSION, compression, "gzip or none");
        }
      }
      return builder.build();
    }

    String notice() {
      String value = raw(NOTICE);
      if (value == null || value.equalsIgnoreCase("false")) {
        return null;
      }
      return value.equalsIgnoreCase("true") ? DEFAULT_NOTICE : InvalidSettingException.printable(value);
    }

    Ga4Destination ga4(Duration timeout) throws InvalidSettingException {
      Ga4DestinationBuilder builder = Ga4Destination.builder().setTimeout(timeout);
      String id = raw(GA4_MEASUREMENT_ID);
      if (id == null) {
        throw InvalidSettingException.problem(GA4_MEASUREMENT_ID,
            "is not set; the ga4 destination needs the data stream's measurement id (G-…, under Admin > Data streams)");
      }
      String secret = raw(GA4_API_SECRET);
      if (secret == null) {
        throw InvalidSettingException.problem(GA4_API_SECRET, "is not set; create one under Admin > Data streams >"
            + " your stream > Measurement Protocol API secrets");
      }
      try {
        builder.setMeasurementId(id);
      } catch (IllegalArgumentException e) {
        throw InvalidSettingException.badValue(GA4_MEASUREMENT_ID, id, "a measurement id such as G-3K2P9QW7LM");
      }
      try {
        builder.setApiSecret(secret);
      } catch (IllegalArgumentException e) {
        throw InvalidSettingException.problem(GA4_API_SECRET, e.getMessage());
      }
      String endpoint = raw(GA4_ENDPOINT);
      if (endpoint != null) {
        try {
          builder.setEndpoint(endpoint);
        } catch (IllegalArgumentException e) {
          throw InvalidSettingException.problem(GA4_ENDPOINT, e.getMessage());
        }
      }
      return builder.build();
    }

    String optOutEnv() throws InvalidSettingException {
      String value = raw(OPT_OUT_ENV);
      if (value != null && !ENV_NAME.matcher(value).matches()) {
        throw InvalidSettingException.badValue(OPT_OUT_ENV, value,
            "the name of an environment variable, e.g. MYCLI_DISABLE_ANALYTICS");
      }
      return value;
    }

    String eventPrefix() throws InvalidSettingException {
      String value = raw(EVENT_PREFIX);
      if (value == null) {
        return "";
      }
      if (!EVENT_PREFIX_PATTERN.matcher(value).matches()) {
        throw InvalidSettingException.badValue(EVENT_PREFIX, value,
            "1 to 32 letters or _ . : $ -, e.g. cf:");
      }
      return value;
    }

    byte[] hashKey() throws InvalidSettingException {
      // Surrounding whitespace (a secret file's trailing newline) is not part of the key, so
      // every instance gets the same hashes however the secret was mounted.
      String value = raw(HASH_KEY);
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

    PrivacyPolicy policy() throws InvalidSettingException {
      Path file = path(POLICY_FILE, "a file path to a YAML policy");
      PrivacyPolicy base;
      if (file == null) {
        base = PrivacyPolicy.defaultPolicy();
      } else {
        try {
          base = PolicyLoader.load(file);
        } catch (PolicyException e) {
          throw InvalidSettingException.problem(POLICY_FILE, e.getMessage());
        }
      }
      PrivacyPolicy.Builder builder = base.toBuilder();
      for (String key : list(ALLOWED_ATTRIBUTES)) {
        apply(ALLOWED_ATTRIBUTES, () -> builder.allowAttribute(key, "listed in OTEL_ANALYTICS_ALLOWED_ATTRIBUTES"));
      }
      for (String key : list(HASHED_ATTRIBUTES)) {
        apply(HASHED_ATTRIBUTES, () -> builder.hashAttribute(key, "listed in OTEL_ANALYTICS_HASHED_ATTRIBUTES"));
      }
      List<String> events = list(EVENTS);
      if (!events.isEmpty()) {
        apply(EVENTS, () -> builder.setSpanSelectors(events));
      }
      MetricsConfig.parse(properties).applyTo(builder); // OTEL_ANALYTICS_ALLOWED_METRICS, _METRICS_* (usage reports)
      return builder.build();
    }

    private static void apply(String property, Runnable change) throws InvalidSettingException {
      try {
        change.run();
      } catch (IllegalArgumentException e) {
        throw InvalidSettingException.problem(property, e.getMessage());
      }
    }

    private static String human(Duration d) {
      if (d.isZero()) {
        return "0";
      }
      if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
        return d.toDays() + "d";
      }
      if (d.toMinutes() > 0 && d.equals(Duration.ofMinutes(d.toMinutes()))) {
        return d.toMinutes() + "m";
      }
      return d.toMillis() + "ms";
    }
  }
}
