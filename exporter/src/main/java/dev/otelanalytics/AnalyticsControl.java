package dev.otelanalytics;

import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.destination.Ga4Destination;
import dev.otelanalytics.internal.activation.Activation;
import dev.otelanalytics.internal.activation.ActivationDecision;
import dev.otelanalytics.internal.activation.LastStart;
import dev.otelanalytics.internal.activation.ServiceIdentity;
import dev.otelanalytics.internal.collector.CollectorConfigWriter;
import dev.otelanalytics.internal.config.InvalidSettingException;
import dev.otelanalytics.internal.delivery.Outbox;
import dev.otelanalytics.internal.destination.HistoryRead;
import dev.otelanalytics.internal.destination.LocalStore;
import dev.otelanalytics.internal.event.SampleEvents;
import dev.otelanalytics.internal.state.InstallIdentity;
import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.policy.PolicyException;
import dev.otelanalytics.policy.PolicyLoader;
import dev.otelanalytics.policy.PrivacyPolicy;
import dev.otelanalytics.policy.PrivacyStatement;
import java.io.IOException;
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
  private final String givenName;
  private final Function<String, String> environment;
  private final ControlledSetup setup;
  private final StateDirectory state;

  AnalyticsControl(String serviceName, String givenName, Function<String, String> environment, ControlledSetup setup) {
    this.serviceName = serviceName;
    this.givenName = givenName;
    this.environment = environment;
    this.setup = setup;
    this.state = StateDirectory.resolve(setup.stateDir, serviceName);
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
    return new AnalyticsControl(ServiceIdentity.inForce(properties, serviceName), serviceName.trim(), environment,
        ControlledSetup.fromSettings(properties));
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
   * Why there is no usable state directory, or null when there is one: for instance no default
   * one, because {@code user.home} is not an absolute path. The commands that read, write or
   * delete state files refuse to run then, rather than act on a path relative to the working directory.
   *
   * @return the problem and its fix, in one line; null when the directory can be used
   */
  public String stateDirectoryProblem() {
    return state.problem();
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
    if (setup.controls != null) {
      ActivationDecision decision = decision(lastStart);
      enabled = decision.enabled();
      level = decision.level();
      reasons.addAll(decision.reasons());
      if (decision.noticeDue()) {
        reasons.add("the first-run notice has not been shown yet: the next run shows it and sends nothing");
      }
    }
    HistoryRead history = localStore().count();
    return new AnalyticsStatus(serviceName, enabled, level, reasons, setup.configError, describeDestination(level), state.root(),
        InstallIdentity.peekInstallId(state), setup.policy, history.eventCount(), history.unreadableLines(), retentionDays(),
        outboxBatches().size(), optOutEnv(), nameNote(), lastStart == null ? null : lastStart.describe(),
        wayIn(lastStart) == Activation.EntryPoint.CODE);
  }

  /** The level in force now, from the settings and the stored choices only (reads nothing else). */
  private AnalyticsLevel levelInForce() {
    return setup.controls == null ? AnalyticsLevel.OFF : decision(LastStart.read(state)).level();
  }

  /** Where the service name in force came from, when it is not the name the program gave. */
  private String nameNote() {
    return serviceName.equals(givenName) ? null
        : "from OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES; the program calls itself " + givenName;
  }

  private ActivationDecision decision(LastStart lastStart) {
    Activation.EntryPoint wayIn = wayIn(lastStart);
    ActivationDecision decision = Activation.decide(setup.controls, wayIn, environment, state.choices(), serviceName);
    if (setup.processControls != null) {
      decision = Activation.mostPrivate(decision,
          Activation.decide(setup.processControls, Activation.EntryPoint.CODE, System::getenv, state.choices(), serviceName));
    }
    return decision;
  }

  /**
   * An app that starts analytics from its code is on unless {@code OTEL_ANALYTICS_ENABLED=false};
   * the autoconfigure and the agent only with {@code OTEL_ANALYTICS_ENABLED=true}. A control made
   * by the builder knows; one made from the settings learns it from the last start recorded here.
   */
  private Activation.EntryPoint wayIn(LastStart lastStart) {
    return setup.wayIn == Activation.EntryPoint.CODE || (lastStart != null && lastStart.wayIn() == Activation.EntryPoint.CODE)
        ? Activation.EntryPoint.CODE : Activation.EntryPoint.SETTINGS;
  }

  private String optOutEnv() {
    return setup.controls == null ? null : setup.controls.optOutEnv();
  }

  /**
   * The service name in force: the name given, or the one {@code OTEL_SERVICE_NAME} (or
   * {@code service.name} in {@code OTEL_RESOURCE_ATTRIBUTES}) sets instead.
   *
   * @return the name whose state directory this control acts on
   */
  public String serviceName() {
    return serviceName;
  }

  /**
   * The last {@code n} events in the local store, exactly as stored, oldest first. A line that
   * cannot be read (damaged by a partial write) is skipped and counted, never a failure.
   *
   * @param n how many at most
   * @return the events, and how many lines of the store could not be read
   * @throws IOException when the store's directory or a file in it cannot be read at all
   */
  public StoredEvents lastEvents(int n) throws IOException {
    HistoryRead read = localStore().last(n);
    return new StoredEvents(read.events(), read.unreadableLines());
  }

  /**
   * Writes every stored event to the new file {@code file} as a JSON array. The file holds the
   * install id, so it is created readable by its owner only (0600; on Windows it gets the access
   * list its folder gives new files), and never over something that exists: an existing file or
   * link is refused, never replaced or followed. Lines that cannot be read are left out and counted.
   *
   * @param file where to write: a name that does not exist yet, outside the state directory
   * @return how many events were written, and how many lines were left out
   * @throws java.nio.file.FileAlreadyExistsException when {@code file} exists (a link, even a dangling one, included)
   * @throws IllegalArgumentException when {@code file} is inside the state directory (links resolved)
   * @throws IOException when the store cannot be read or the file written (a half-written file is deleted)
   */
  public ExportResult export(Path file) throws IOException {
    HistoryRead written = localStore().exportTo(file, state.root());
    return new ExportResult(written.eventCount(), written.unreadableLines());
  }

  /**
   * Deletes the local store, the outbox and the open usage-report window, and replaces the
   * install id, deployment id and hash key with new random ones (created at once when analytics
   * is on, else at its next start). It always deletes: what the files hold does not matter, and
   * a file that cannot be deleted does not keep the others; the result names it with the reason.
   *
   * <p>A process of this service that is running now keeps the ids, key and events it already
   * holds until it restarts: this changes the files only.
   *
   * @return how many stored events and waiting batches were deleted, and what could not be
   */
  public ClearResult clear() {
    ClearResult result = StateClearing.clear(state);
    if (levelInForce() != AnalyticsLevel.OFF) {
      InstallIdentity.load(state, null);
    }
    return result;
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
    PrivacyPolicy policy = policyFile != null ? PolicyLoader.load(policyFile) : setup.policy;
    Destination destination = setup.destination;
    String where = destination == null ? "Nowhere: events are kept on this machine only"
        : destination.printsEvents() ? "Nowhere: events are printed on the console only"
        : destination.isRemote() ? "To " + destination.description()
        : "Nowhere: events are kept on this machine only (" + destination.description() + ")";
    return PrivacyStatement.of(policy, serviceName, where, retentionDays(), optOutEnv(), levelCommand);
  }

  /**
   * An OpenTelemetry Collector configuration, as YAML, for a gateway that applies the policy in
   * force (or the one in {@code policyFile}) to OTLP from services in any language, before the
   * relay applies it again: it keeps only the spans, span events and metrics the policy turns into
   * events and only the attributes it lists, hashes what it hashes with the same keyed hash as
   * this code, and masks values the value guards that regular expressions can express find. Same
   * policy, same bytes.
   *
   * @param policyFile a policy file to use instead of the policy in force; null for the policy in force
   * @param regenerate the command that writes this configuration again, for its header
   * @return the configuration
   * @throws PolicyException when {@code policyFile} does not exist, cannot be read or is not a valid
   *     policy, or the policy holds a key no Collector configuration can carry as written
   * @throws IllegalStateException when no file is given and the configuration is invalid, so that no
   *     policy is in force
   */
  public String collectorConfiguration(Path policyFile, String regenerate) throws PolicyException {
    PrivacyPolicy policy;
    String source;
    if (policyFile != null) {
      policy = PolicyLoader.load(policyFile);
      source = "policy file " + policyFile;
    } else if (setup.configError != null) {
      throw new IllegalStateException("no policy is in force, because the configuration is invalid: " + setup.configError);
    } else {
      policy = setup.policy;
      source = setup.policySource;
    }
    try {
      return CollectorConfigWriter.write(policy, source, regenerate);
    } catch (IllegalArgumentException e) {
      throw new PolicyException((policyFile != null ? "policy " + policyFile : source) + ": " + e.getMessage());
    }
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
    if (setup.configError != null) {
      throw new IllegalStateException("the configuration is invalid: " + setup.configError);
    }
    if (!(setup.destination instanceof Ga4Destination)) {
      throw new IllegalStateException("validate checks the GA4 destination: set OTEL_ANALYTICS_DESTINATION=ga4,"
          + " OTEL_EXPORTER_GA4_MEASUREMENT_ID and OTEL_EXPORTER_GA4_API_SECRET");
    }
    Ga4Destination ga4 = (Ga4Destination) setup.destination;
    try {
      return ga4.validate(SampleEvents.of(setup.policy));
    } finally {
      if (setup.ownsDestination) {
        ga4.close();
      }
    }
  }

  /**
   * Stores the level the person using the app chose; the most private setting always wins. A
   * process of this service that is running now keeps the level it started with until it restarts.
   *
   * @param level the level to store
   * @throws IOException when the choice cannot be written
   */
  public void setLevel(AnalyticsLevel level) throws IOException {
    state.choices().storeLevel(level);
  }

  private long retentionDays() {
    return setup.retention.toDays();
  }

  private String describeDestination(AnalyticsLevel level) {
    if (setup.configError != null || level == AnalyticsLevel.OFF) {
      return "none";
    }
    Destination destination = setup.destination;
    if (level == AnalyticsLevel.LOCAL || destination == null) {
      return "local store only (nothing leaves this machine)";
    }
    if (destination.printsEvents()) {
      return "printed on the console only (nothing leaves this machine)";
    }
    return destination.isRemote() ? destination.description() : destination.description() + " (nothing leaves this machine)";
  }

  private LocalStore localStore() {
    return new LocalStore(state.eventsDirectory());
  }

  private List<Path> outboxBatches() throws IOException {
    return Outbox.batchFiles(state.outboxDirectory());
  }
}
