package dev.otelanalytics;

import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.destination.Ga4Destination;
import dev.otelanalytics.destination.PostHogDestination;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.activation.Activation;
import dev.otelanalytics.internal.activation.ActivationDecision;
import dev.otelanalytics.internal.activation.LastStart;
import dev.otelanalytics.internal.activation.ServiceIdentity;
import dev.otelanalytics.internal.config.AnalyticsConfig;
import dev.otelanalytics.internal.config.ControlSettings;
import dev.otelanalytics.internal.config.DestinationType;
import dev.otelanalytics.internal.config.InvalidSettingException;
import dev.otelanalytics.internal.delivery.Outbox;
import dev.otelanalytics.internal.destination.LocalStore;
import dev.otelanalytics.internal.event.SampleEvents;
import dev.otelanalytics.internal.state.InstallIdentity;
import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.policy.PolicyException;
import dev.otelanalytics.policy.PolicyLoader;
import dev.otelanalytics.policy.PrivacyPolicy;
import dev.otelanalytics.policy.PrivacyStatement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
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
  private final String givenName;
  private final Function<String, String> properties;
  private final Function<String, String> environment;
  private final AnalyticsConfig config;
  private final String configError;
  private final StateDirectory state;

  private AnalyticsControl(String givenName, Function<String, String> properties, Function<String, String> environment) {
    this.serviceName = ServiceIdentity.inForce(properties, givenName);
    this.givenName = givenName;
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
    this.state = StateDirectory.resolve(parsed != null ? parsed.stateDir() : configuredDirectory(properties), serviceName);
  }

  /** The state directory setting as it is, when the rest of the configuration is invalid. */
  private static Path configuredDirectory(Function<String, String> properties) {
    String dir = properties.apply(AnalyticsConfig.STATE_DIR);
    if (dir == null || dir.trim().isEmpty()) {
      return null;
    }
    try {
      return Paths.get(dir.trim());
    } catch (InvalidPathException e) {
      return null;
    }
  }

  /**
   * Control for {@code serviceName}, reading system properties and the environment like the SDK does.
   * When {@code OTEL_SERVICE_NAME} (or {@code service.name} in {@code OTEL_RESOURCE_ATTRIBUTES})
   * is set, it names the program instead, as it does for the SDK and the builder, so the control
   * always acts on the state directory the running analytics uses.
   *
   * @param serviceName the program's {@code service.name}: the name the app gives
   *     {@link OtelAnalyticsBuilder#setServiceName} or its SDK resource
   * @throws IllegalArgumentException when the name is empty or the SDK's fallback {@code unknown_service:java}
   * @return the control
   */
  public static AnalyticsControl fromEnvironment(String serviceName) {
    return create(AnalyticsControl::systemSetting, System::getenv, serviceName);
  }

  /**
   * Control for {@code serviceName}.
   *
   * @param properties looks a setting up by its property name ({@code otel.analytics.level})
   * @param environment looks an environment variable up ({@code DO_NOT_TRACK})
   * @param serviceName the program's {@code service.name} (settings that name the service win, as in {@link #fromEnvironment})
   * @return the control
   * @throws IllegalArgumentException when the name is empty or the SDK's fallback {@code unknown_service:java}
   */
  public static AnalyticsControl create(Function<String, String> properties, Function<String, String> environment, String serviceName) {
    if (!ServiceIdentity.isNamed(serviceName)) {
      throw new IllegalArgumentException("serviceName must be the program's own name (its OTEL_SERVICE_NAME), not empty or "
          + ServiceIdentity.UNKNOWN_SERVICE + ": analytics never runs under the SDK's fallback name");
    }
    return new AnalyticsControl(serviceName.trim(), properties, environment);
  }

  /**
   * Reads a setting as OpenTelemetry does: the system property, else the environment variable of
   * the same name ({@code otel.analytics.level}, else {@code OTEL_ANALYTICS_LEVEL}).
   *
   * @param property the property name
   * @return the value, or null when neither is set
   */
  public static String systemSetting(String property) {
    String value = System.getProperty(property);
    return value != null ? value : System.getenv(InvalidSettingException.envName(property));
  }

  /**
   * The state directory: {@code OTEL_ANALYTICS_STATE_DIR}, else the platform default for the service.
   *
   * @return the directory (it may not exist)
   */
  public Path stateDirectory() {
    return state.root();
  }

  /**
   * What analytics does here and why.
   *
   * @return the report the {@code status} command prints
   * @throws IOException when the state directory cannot be read
   */
  public AnalyticsStatus status() throws IOException {
    List<String> reasons = new ArrayList<>();
    AnalyticsLevel level = AnalyticsLevel.OFF;
    boolean enabled = false;
    LastStart lastStart = LastStart.read(state);
    if (config != null) {
      ActivationDecision decision = decision(config.controls(), lastStart);
      enabled = decision.enabled();
      level = decision.level();
      reasons.addAll(decision.reasons());
      if (decision.noticeDue()) {
        reasons.add("the first-run notice has not been shown yet: the next run shows it and sends nothing");
      }
    }
    PrivacyPolicy policy = config == null ? PrivacyPolicy.defaultPolicy() : config.policy();
    return new AnalyticsStatus(serviceName, enabled, level, reasons, configError, describeDestination(level), state.root(),
        InstallIdentity.peekInstallId(state), policy, localStore().count(), retentionDays(), outboxBatches().size(),
        config == null ? null : config.optOutEnv(), nameNote(), lastStart == null ? null : lastStart.describe(),
        lastStart != null && lastStart.wayIn() == Activation.EntryPoint.CODE);
  }

  /** Where the service name in force came from, when it is not the name the program gave. */
  private String nameNote() {
    return serviceName.equals(givenName) ? null
        : "from OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES; the program calls itself " + givenName;
  }

  private ActivationDecision decision(ControlSettings controls, LastStart lastStart) {
    // An app that starts analytics from its code is on unless OTEL_ANALYTICS_ENABLED=false; the
    // autoconfigure and the agent only with OTEL_ANALYTICS_ENABLED=true. The last start says which.
    Activation.EntryPoint wayIn = lastStart != null ? lastStart.wayIn() : Activation.EntryPoint.SETTINGS;
    return Activation.decide(controls, wayIn, environment, state.choices(), serviceName);
  }

  /**
   * The last {@code n} events in the local store, exactly as stored, oldest first.
   *
   * @param n how many at most
   * @return the events
   * @throws IOException when the store cannot be read
   */
  public List<AnalyticsEvent> lastEvents(int n) throws IOException {
    return localStore().last(n);
  }

  /**
   * Writes every stored event to {@code file} as a JSON array.
   *
   * @param file where to write (replaced when it exists)
   * @return how many events were written
   * @throws IOException when the store cannot be read or the file written
   */
  public long export(Path file) throws IOException {
    return localStore().exportTo(file);
  }

  /**
   * Deletes the local store, the outbox and the open usage-report window, and replaces the
   * install id, deployment id and hash key with new random ones (created at once when analytics
   * is on, else at its next start).
   *
   * @return how many stored events and waiting batches were deleted
   * @throws IOException when something could not be deleted
   */
  public ClearResult clear() throws IOException {
    LocalStore store = localStore();
    long events = store.count();
    store.clear();
    List<Path> batches = outboxBatches();
    for (Path batch : batches) {
      Files.deleteIfExists(batch);
    }
    Files.deleteIfExists(state.usageWindowFile());
    InstallIdentity.forget(state);
    if (status().level() != AnalyticsLevel.OFF) {
      InstallIdentity.load(state, null);
    }
    return new ClearResult(events, batches.size());
  }

  /**
   * The privacy statement for the policy in force, or for the policy in {@code policyFile}.
   *
   * @param policyFile a policy to describe instead of the one in force; may be null
   * @param levelCommand how users change the level, for the opt-out section; may be null
   * @return the statement
   * @throws PolicyException when {@code policyFile} is not a valid policy
   */
  public PrivacyStatement privacyStatement(Path policyFile, String levelCommand) throws PolicyException {
    PrivacyPolicy policy = policyFile != null ? PolicyLoader.load(policyFile)
        : config != null ? config.policy() : PrivacyPolicy.defaultPolicy();
    String where = config == null || config.destination() == DestinationType.FILE
        ? "Nowhere: events are kept on this machine only"
        : config.destination() == DestinationType.CONSOLE ? "Nowhere: events are printed on the console only"
        : "To " + describeDestination(AnalyticsLevel.ANONYMOUS);
    return PrivacyStatement.of(policy, serviceName, where, retentionDays(), config == null ? null : config.optOutEnv(), levelCommand);
  }

  /**
   * Posts a sample built from the policy in force to GA4's validation server and returns its
   * messages (empty: GA4 found nothing wrong). Nothing is recorded in the GA4 property.
   *
   * @return GA4's messages
   * @throws IOException when the validation server cannot be reached
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
      return config.ga4Destination().validate(SampleEvents.of(config.policy()));
    } finally {
      config.ga4Destination().close();
    }
  }

  /**
   * Stores the level the person using the app chose; the most private setting always wins.
   *
   * @param level the level to store
   * @throws IOException when the choice cannot be written
   */
  public void setLevel(AnalyticsLevel level) throws IOException {
    state.choices().storeLevel(level);
  }

  private long retentionDays() {
    return config == null ? AnalyticsConfig.DEFAULT_LOCAL_RETENTION.toDays() : config.localRetention().toDays();
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
    return new LocalStore(state.eventsDirectory());
  }

  private List<Path> outboxBatches() throws IOException {
    return Outbox.batchFiles(state.outboxDirectory());
  }
}
