package dev.otelanalytics;

import dev.otelanalytics.config.AnalyticsConfig;
import dev.otelanalytics.config.DestinationType;
import dev.otelanalytics.config.InvalidSettingException;
import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.consent.Consent;
import dev.otelanalytics.consent.InstallIdentity;
import dev.otelanalytics.consent.StateDirectories;
import dev.otelanalytics.consent.UserChoices;
import dev.otelanalytics.destination.EventJson;
import dev.otelanalytics.destination.Ga4Destination;
import dev.otelanalytics.destination.LocalStore;
import dev.otelanalytics.destination.PostHogDestination;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.metrics.UsageReportExporter;
import dev.otelanalytics.policy.PolicyException;
import dev.otelanalytics.policy.PolicyLoader;
import dev.otelanalytics.policy.PrivacyPolicy;
import dev.otelanalytics.policy.PrivacyStatement;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What a host app calls to offer its users a {@code telemetry} command: see what is collected and
 * why, see the events themselves, export or delete them, and choose a level. {@link
 * dev.otelanalytics.cli.AnalyticsCli} is a ready-made command line on top of it.
 *
 * <p>It reads the same settings as the SDK integration (system property {@code otel.analytics.*},
 * else environment variable {@code OTEL_ANALYTICS_*}), so it reports exactly what a run of the app
 * does. Looking never writes anything.
 */
public final class AnalyticsControl {
  private final String serviceName;
  private final Function<String, String> properties;
  private final Function<String, String> environment;
  private final AnalyticsConfig config;
  private final String configError;
  private final Path stateDir;

  private AnalyticsControl(String serviceName, Function<String, String> properties, Function<String, String> environment) {
    this.serviceName = serviceName;
    this.properties = properties;
    this.environment = environment;
    AnalyticsConfig parsed = null;
    String error = null;
    try {
      parsed = AnalyticsConfig.parse(properties);
    } catch (InvalidSettingException e) {
      error = e.getMessage();
    }
    this.config = parsed;
    this.configError = error;
    Path configured = null;
    String dir = properties.apply(AnalyticsConfig.STATE_DIR);
    if (parsed != null) {
      configured = parsed.stateDir();
    } else if (dir != null && !dir.trim().isEmpty()) {
      configured = java.nio.file.Paths.get(dir.trim());
    }
    this.stateDir = configured != null ? configured : StateDirectories.defaultFor(serviceName);
  }

  /** Control for {@code serviceName}, reading system properties and the environment like the SDK does. */
  public static AnalyticsControl fromEnvironment(String serviceName) {
    return create(AnalyticsControl::systemSetting, System::getenv, serviceName);
  }

  /**
   * Control for {@code serviceName}.
   *
   * @param properties looks a setting up by its property name ({@code otel.analytics.level})
   * @param environment looks an environment variable up ({@code DO_NOT_TRACK})
   */
  public static AnalyticsControl create(Function<String, String> properties, Function<String, String> environment, String serviceName) {
    if (serviceName == null || serviceName.trim().isEmpty()) {
      throw new IllegalArgumentException("serviceName must not be empty");
    }
    return new AnalyticsControl(serviceName.trim(), properties, environment);
  }

  /** {@code otel.analytics.level}: the system property, else {@code OTEL_ANALYTICS_LEVEL}. */
  public static String systemSetting(String property) {
    String value = System.getProperty(property);
    return value != null ? value : System.getenv(InvalidSettingException.envName(property));
  }

  public Path stateDirectory() {
    return stateDir;
  }

  /** What analytics does here and why. */
  public AnalyticsStatus status() throws IOException {
    UserChoices choices = new UserChoices(stateDir);
    List<String> reasons = new ArrayList<>();
    AnalyticsLevel level;
    boolean enabled = false;
    if (config == null) {
      level = AnalyticsLevel.OFF;
    } else {
      enabled = config.enabled();
      Consent consent = Consent.evaluate(config.level(), environment, config.optOutEnv(), choices.storedLevel());
      reasons.addAll(consent.reasons());
      level = enabled ? consent.level() : AnalyticsLevel.OFF;
      if (enabled && !config.services().isEmpty() && !config.services().contains(serviceName)) {
        level = AnalyticsLevel.OFF;
        reasons.add("this program (" + serviceName + ") is not in OTEL_ANALYTICS_SERVICES");
      }
      if (level != AnalyticsLevel.OFF && config.notice() != null && !choices.noticeShown()) {
        reasons.add("the first-run notice has not been shown yet: the next run shows it and sends nothing");
      }
    }
    String[] ids = InstallIdentity.peekIds(stateDir);
    PrivacyPolicy policy = config == null ? PrivacyPolicy.defaultPolicy() : config.policy();
    long retentionDays = config == null ? AnalyticsConfig.DEFAULT_LOCAL_RETENTION.toDays() : config.localRetention().toDays();
    return new AnalyticsStatus(serviceName, enabled, level, reasons, configError, describeDestination(level), stateDir,
        ids[0], policy, localStore().count(), retentionDays, outboxBatches().size(), config == null ? null : config.optOutEnv());
  }

  /** The last {@code n} events in the local store, exactly as stored, oldest first. */
  public List<AnalyticsEvent> lastEvents(int n) throws IOException {
    return localStore().last(n);
  }

  /** Writes every stored event to {@code file} as a JSON array; returns how many. */
  public long export(Path file) throws IOException {
    long[] count = {0};
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("[");
      IOException[] failure = {null};
      localStore().forEach(event -> {
        try {
          out.write(count[0] == 0 ? "\n" : ",\n");
          out.write(new String(EventJson.toJsonLines(java.util.Collections.singletonList(event)), StandardCharsets.UTF_8).trim());
          count[0]++;
        } catch (IOException e) {
          failure[0] = e;
        }
      });
      if (failure[0] != null) {
        throw failure[0];
      }
      out.write(count[0] == 0 ? "]\n" : "\n]\n");
    }
    return count[0];
  }

  /**
   * Deletes the local store, the outbox and the open usage-report window, and replaces the
   * install id, deployment id and hash key with new random ones (created at once when analytics
   * is on, else at its next start).
   *
   * @return how many stored events and waiting batches were deleted
   */
  public long[] clear() throws IOException {
    LocalStore store = localStore();
    long events = store.count();
    store.clear();
    List<Path> batches = outboxBatches();
    for (Path batch : batches) {
      Files.deleteIfExists(batch);
    }
    Files.deleteIfExists(stateDir.resolve(UsageReportExporter.WINDOW_FILE));
    InstallIdentity.forget(stateDir);
    if (status().level() != AnalyticsLevel.OFF) {
      InstallIdentity.load(stateDir, null);
    }
    return new long[] {events, batches.size()};
  }

  /**
   * The privacy statement for the policy in force, or for the policy in {@code policyFile}.
   *
   * @param levelCommand how users change the level, for the opt-out section; may be null
   */
  public PrivacyStatement privacyStatement(Path policyFile, String levelCommand) throws PolicyException {
    PrivacyPolicy policy = policyFile != null ? PolicyLoader.load(policyFile)
        : config != null ? config.policy() : PrivacyPolicy.defaultPolicy();
    long retentionDays = config == null ? AnalyticsConfig.DEFAULT_LOCAL_RETENTION.toDays() : config.localRetention().toDays();
    String where = config == null || config.destination() == DestinationType.FILE
        ? "Nowhere: events are kept on this machine only"
        : config.destination() == DestinationType.CONSOLE ? "Nowhere: events are printed on the console only"
        : "To " + describeDestination(AnalyticsLevel.ANONYMOUS);
    return PrivacyStatement.of(policy, serviceName, where, retentionDays, config == null ? null : config.optOutEnv(), levelCommand);
  }

  /**
   * Posts a sample built from the policy in force to GA4's validation server and returns its
   * messages (empty: GA4 found nothing wrong). Nothing is recorded in the GA4 property.
   *
   * @throws IllegalStateException when the destination is not GA4 or the configuration is invalid
   */
  public List<Ga4Destination.ValidationMessage> validateGa4() throws IOException {
    if (config == null) {
      throw new IllegalStateException("the configuration is invalid: " + configError);
    }
    if (config.ga4Destination() == null) {
      throw new IllegalStateException("validate checks the GA4 destination: set OTEL_ANALYTICS_DESTINATION=ga4,"
          + " OTEL_EXPORTER_GA4_MEASUREMENT_ID and OTEL_EXPORTER_GA4_API_SECRET");
    }
    try {
      return config.ga4Destination().validate(sampleEvents(config.policy()));
    } finally {
      config.ga4Destination().close();
    }
  }

  /** One event of each shape the policy produces, with placeholder values. */
  static List<AnalyticsEvent> sampleEvents(PrivacyPolicy policy) {
    java.util.Map<String, Object> properties = new java.util.LinkedHashMap<>();
    properties.put("duration_ms", 42L);
    properties.put("success", false);
    properties.put("error_type", "SampleException");
    for (String key : policy.allowedAttributes().keySet()) {
      properties.put(key, "sample");
    }
    for (String key : policy.hashedAttributes().keySet()) {
      properties.put(key, "0123456789abcdef0123456789abcdef");
    }
    for (String key : policy.allowedResourceAttributes().keySet()) {
      properties.put(key, "sample");
    }
    long now = System.currentTimeMillis() * 1_000_000L;
    List<AnalyticsEvent> events = new ArrayList<>();
    events.add(AnalyticsEvent.create("sample_command", "00000000-0000-4000-8000-000000000000", now,
        java.util.UUID.randomUUID().toString(), properties));
    for (String spanEvent : policy.spanEvents()) {
      events.add(AnalyticsEvent.create(spanEvent, "00000000-0000-4000-8000-000000000000", now,
          java.util.UUID.randomUUID().toString(), properties));
    }
    return events;
  }

  /** Stores the level the person using the app chose; the most private setting always wins. */
  public void setLevel(AnalyticsLevel level) throws IOException {
    new UserChoices(stateDir).storeLevel(level);
  }

  private String describeDestination(AnalyticsLevel level) {
    if (config == null || level == AnalyticsLevel.OFF) {
      return "none";
    }
    if (level == AnalyticsLevel.LOCAL || config.destination() == DestinationType.FILE) {
      return "local store only (nothing leaves this machine)";
    }
    if (config.destination() == DestinationType.CONSOLE) {
      return "printed on the console only (nothing leaves this machine)";
    }
    if (config.destination() == DestinationType.GA4) {
      String endpoint = properties.apply(AnalyticsConfig.GA4_ENDPOINT);
      return "Google Analytics 4 (Measurement Protocol) at "
          + (endpoint == null || endpoint.trim().isEmpty() ? Ga4Destination.DEFAULT_ENDPOINT : endpoint.trim());
    }
    String endpoint = properties.apply(AnalyticsConfig.POSTHOG_ENDPOINT);
    return "PostHog at " + (endpoint == null || endpoint.trim().isEmpty() ? PostHogDestination.DEFAULT_ENDPOINT : endpoint.trim());
  }

  private LocalStore localStore() {
    return new LocalStore(stateDir.resolve(OtelAnalyticsBuilder.EVENTS_DIRECTORY));
  }

  private List<Path> outboxBatches() throws IOException {
    List<Path> batches = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(stateDir.resolve(OtelAnalyticsBuilder.OUTBOX_DIRECTORY), "b-*.jsonl")) {
      for (Path file : stream) {
        batches.add(file);
      }
    } catch (NoSuchFileException e) {
      return batches;
    }
    return batches;
  }
}
