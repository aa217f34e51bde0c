package dev.otelanalytics.internal.config;

import static dev.otelanalytics.internal.config.AnalyticsConfig.DEFAULT_NOTICE;
import static dev.otelanalytics.internal.config.AnalyticsConfig.ENABLED;
import static dev.otelanalytics.internal.config.AnalyticsConfig.LEVEL;
import static dev.otelanalytics.internal.config.AnalyticsConfig.NOTICE;
import static dev.otelanalytics.internal.config.AnalyticsConfig.OPT_OUT_ENV;
import static dev.otelanalytics.internal.config.AnalyticsConfig.SERVICES;
import static dev.otelanalytics.internal.config.AnalyticsConfig.STATE_DIR;

import dev.otelanalytics.consent.AnalyticsLevel;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The settings the on/off decision is made from, whichever way analytics was started (SDK
 * autoconfigure, the Java agent, the programmatic builder) and by the {@code status} command:
 * the master switch, the services it applies to, the level, the app's opt-out variable, the
 * first-run notice and the state directory (which holds the person's stored choices).
 */
public final class ControlSettings {
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Boolean enabled;
  private final List<String> services;
  private final AnalyticsLevel level;
  private final String optOutEnv;
  private final String notice;
  private final Path stateDir;

  private ControlSettings(SettingsReader r) throws InvalidSettingException {
    String switchValue = r.raw(ENABLED);
    enabled = switchValue == null ? null : r.bool(ENABLED, false);
    services = r.list(SERVICES);
    level = level(r);
    optOutEnv = optOutEnv(r);
    notice = notice(r);
    stateDir = r.path(STATE_DIR, "a directory path");
  }

  /** Reads the control settings. */
  public static ControlSettings parse(Function<String, String> properties) throws InvalidSettingException {
    return read(new SettingsReader(properties));
  }

  static ControlSettings read(SettingsReader reader) throws InvalidSettingException {
    return new ControlSettings(reader);
  }

  /** {@code OTEL_ANALYTICS_ENABLED}; null when it is not set. */
  public Boolean enabled() {
    return enabled;
  }

  /** {@code service.name}s analytics applies to; empty means any. */
  public List<String> services() {
    return services;
  }

  /** {@code OTEL_ANALYTICS_LEVEL}; {@code anonymous} when not set. */
  public AnalyticsLevel level() {
    return level;
  }

  /** Name of the app's own opt-out variable, or null. */
  public String optOutEnv() {
    return optOutEnv;
  }

  /** The first-run notice text, or null for none. */
  public String notice() {
    return notice;
  }

  /** The configured state directory, or null for the platform default. */
  public Path stateDir() {
    return stateDir;
  }

  private static AnalyticsLevel level(SettingsReader r) throws InvalidSettingException {
    String value = r.raw(LEVEL);
    if (value == null) {
      return AnalyticsLevel.ANONYMOUS;
    }
    AnalyticsLevel level = AnalyticsLevel.parse(value);
    if (level == null) {
      throw InvalidSettingException.badValue(LEVEL, value, "off, local or anonymous");
    }
    return level;
  }

  private static String optOutEnv(SettingsReader r) throws InvalidSettingException {
    String value = r.raw(OPT_OUT_ENV);
    if (value != null && !ENV_NAME.matcher(value).matches()) {
      throw InvalidSettingException.badValue(OPT_OUT_ENV, value,
          "the name of an environment variable, e.g. MYCLI_DISABLE_ANALYTICS");
    }
    return value;
  }

  private static String notice(SettingsReader r) {
    String value = r.raw(NOTICE);
    if (value == null || value.equalsIgnoreCase("false")) {
      return null;
    }
    return value.equalsIgnoreCase("true") ? DEFAULT_NOTICE : InvalidSettingException.printable(value);
  }

  @Override
  public String toString() {
    return "ControlSettings{enabled=" + enabled + ", services=" + services + ", level=" + level.settingValue()
        + ", optOutEnv=" + optOutEnv + ", notice=" + (notice != null) + ", stateDir=" + stateDir + "}";
  }
}
