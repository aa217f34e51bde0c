package dev.otelanalytics;

import dev.otelanalytics.destination.ConsoleDestination;
import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.internal.activation.Activation;
import dev.otelanalytics.internal.config.AnalyticsConfig;
import dev.otelanalytics.internal.config.ControlSettings;
import dev.otelanalytics.internal.config.DestinationType;
import dev.otelanalytics.internal.config.InvalidSettingException;
import dev.otelanalytics.internal.config.MetricsConfig;
import dev.otelanalytics.policy.PrivacyPolicy;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What an {@link AnalyticsControl} knows of the analytics it controls: read from the settings,
 * as the SDK autoconfigure and the agent read them, or taken from the builder the app's code
 * uses, so that {@code telemetry status} and {@code telemetry policy} describe exactly what
 * that code collects.
 */
final class ControlledSetup {
  /** How the analytics starts, when the state directory has no record of a start yet. */
  final Activation.EntryPoint wayIn;
  /** The on/off settings, or null when the settings are invalid. */
  final ControlSettings controls;
  /**
   * This process's own on/off settings, when the code supplies others ({@code setSettings}):
   * they apply on top, the most private winning. Null otherwise.
   */
  final ControlSettings processControls;
  /** Why the settings are invalid, or null. */
  final String configError;
  /** The state directory the code or the settings name, or null for the platform default. */
  final Path stateDir;
  final PrivacyPolicy policy;
  /** Which policy {@link #policy} is, in a few words: a file and the settings that add to it, or the app's code. */
  final String policySource;
  /** Where events go; null for the local store. */
  final Destination destination;
  /** True when the control made {@link #destination} itself, and so closes it after use. */
  final boolean ownsDestination;
  final Duration retention;

  private ControlledSetup(Activation.EntryPoint wayIn, ControlSettings controls, ControlSettings processControls,
      String configError, Path stateDir, PrivacyPolicy policy, String policySource, Destination destination,
      boolean ownsDestination, Duration retention) {
    this.wayIn = wayIn;
    this.controls = controls;
    this.processControls = processControls;
    this.configError = configError;
    this.stateDir = stateDir;
    this.policy = policy;
    this.policySource = policySource;
    this.destination = destination;
    this.ownsDestination = ownsDestination;
    this.retention = retention;
  }

  /** The analytics the settings describe (the SDK autoconfigure and the Java agent). */
  static ControlledSetup fromSettings(Function<String, String> properties) {
    try {
      AnalyticsConfig config = AnalyticsConfig.parse(properties);
      Destination destination = config.destination() == DestinationType.CONSOLE ? ConsoleDestination.create()
          : config.postHogDestination() != null ? config.postHogDestination()
          : config.ga4Destination();
      return new ControlledSetup(Activation.EntryPoint.SETTINGS, config.controls(), null, null, config.stateDir(),
          config.policy(), policySource(properties), destination, true, config.localRetention());
    } catch (InvalidSettingException e) {
      return new ControlledSetup(Activation.EntryPoint.SETTINGS, null, null, e.getMessage(), configuredDirectory(properties),
          PrivacyPolicy.defaultPolicy(), "the built-in policy", null, false, AnalyticsConfig.DEFAULT_LOCAL_RETENTION);
    }
  }

  /** The analytics a builder in the app's code sets up. */
  static ControlledSetup fromCode(Function<String, String> settings, boolean codeSuppliesSettings,
      boolean codeSuppliesEnvironment, Path codeStateDir, PrivacyPolicy policy, Destination destination, Duration retention) {
    try {
      ControlSettings controls = ControlSettings.parse(settings);
      ControlSettings processControls = codeSuppliesSettings ? ControlSettings.parse(AnalyticsControl::systemSetting)
          : codeSuppliesEnvironment ? controls : null;
      return new ControlledSetup(Activation.EntryPoint.CODE, controls, processControls, null,
          codeStateDir != null ? codeStateDir : controls.stateDir(), policy, CODE_POLICY, destination, false, retention);
    } catch (InvalidSettingException e) {
      return new ControlledSetup(Activation.EntryPoint.CODE, null, null, e.getMessage(),
          codeStateDir != null ? codeStateDir : configuredDirectory(settings), policy, CODE_POLICY, destination, false,
          retention);
    }
  }

  private static final String CODE_POLICY = "the policy the app's code sets";
  private static final String[] POLICY_SETTINGS = {
    AnalyticsConfig.ALLOWED_ATTRIBUTES, AnalyticsConfig.HASHED_ATTRIBUTES, AnalyticsConfig.EVENTS, MetricsConfig.ALLOWED_METRICS
  };

  /** The policy file the settings name (or the built-in policy), and the settings that add to it. */
  private static String policySource(Function<String, String> properties) {
    String file = properties.apply(AnalyticsConfig.POLICY_FILE);
    String source = file == null || file.trim().isEmpty() ? "the built-in policy"
        : "policy file " + file.trim() + " (" + InvalidSettingException.envName(AnalyticsConfig.POLICY_FILE) + ")";
    List<String> added = new ArrayList<>();
    for (String setting : POLICY_SETTINGS) {
      String value = properties.apply(setting);
      if (value != null && !value.trim().isEmpty()) {
        added.add(InvalidSettingException.envName(setting));
      }
    }
    return added.isEmpty() ? source : source + " with " + String.join(", ", added);
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
}
