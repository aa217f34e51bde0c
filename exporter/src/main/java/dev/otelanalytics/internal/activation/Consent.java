package dev.otelanalytics.internal.activation;

import dev.otelanalytics.consent.AnalyticsLevel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Decides the effective {@link AnalyticsLevel}: the most private of the configured level and
 * the user's opt-out signals. Opt-out always wins:
 *
 * <ul>
 *   <li>{@code DO_NOT_TRACK} set to anything but empty, {@code 0} or {@code false};
 *   <li>the app's own opt-out variable (named by {@code OTEL_ANALYTICS_OPT_OUT_ENV}), same rule;
 *   <li>{@code OTEL_SDK_DISABLED=true}.
 * </ul>
 */
public final class Consent {
  /** The cross-tool opt-out variable (consoledonottrack.com). */
  public static final String DO_NOT_TRACK = "DO_NOT_TRACK";
  /** OpenTelemetry's own switch. */
  public static final String OTEL_SDK_DISABLED = "OTEL_SDK_DISABLED";

  private final AnalyticsLevel level;
  private final List<String> reasons;

  private Consent(AnalyticsLevel level, List<String> reasons) {
    this.level = level;
    this.reasons = Collections.unmodifiableList(reasons);
  }

  /**
   * Evaluates the signals.
   *
   * @param configured the level from {@code OTEL_ANALYTICS_LEVEL}
   * @param environment looks up an environment variable by its name (e.g. {@code DO_NOT_TRACK})
   * @param optOutVariable name of the app's own opt-out variable, or null
   */
  public static Consent evaluate(AnalyticsLevel configured, Function<String, String> environment, String optOutVariable) {
    return evaluate(configured, environment, optOutVariable, null);
  }

  /**
   * Evaluates the signals and the level the user stored with the {@code level} command.
   *
   * @param stored the stored level, or null when none was set
   */
  public static Consent evaluate(
      AnalyticsLevel configured, Function<String, String> environment, String optOutVariable, AnalyticsLevel stored) {
    List<String> reasons = new ArrayList<>();
    AnalyticsLevel level = configured;
    if (configured != AnalyticsLevel.ANONYMOUS) {
      reasons.add("OTEL_ANALYTICS_LEVEL is " + configured.settingValue());
    }
    if (stored != null && stored.ordinal() < AnalyticsLevel.ANONYMOUS.ordinal()) {
      level = level.mostPrivate(stored);
      reasons.add("the level was set to " + stored.settingValue() + " with the level command");
    }
    if (isTruthy(environment.apply(DO_NOT_TRACK))) {
      level = AnalyticsLevel.OFF;
      reasons.add(DO_NOT_TRACK + " is set");
    }
    if (optOutVariable != null && isTruthy(environment.apply(optOutVariable))) {
      level = AnalyticsLevel.OFF;
      reasons.add(optOutVariable + " is set");
    }
    String sdkDisabled = environment.apply(OTEL_SDK_DISABLED);
    if (sdkDisabled != null && sdkDisabled.trim().equalsIgnoreCase("true")) {
      level = AnalyticsLevel.OFF;
      reasons.add(OTEL_SDK_DISABLED + " is true");
    }
    return new Consent(level, reasons);
  }

  /** Opt-out truthiness: set, and not empty, {@code 0} or {@code false} (any case). */
  public static boolean isTruthy(String value) {
    if (value == null) {
      return false;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    return !v.isEmpty() && !v.equals("0") && !v.equals("false");
  }

  /** The effective level. */
  public AnalyticsLevel level() {
    return level;
  }

  /** This decision, further limited to {@code cap} for {@code reason}. */
  public Consent limitedTo(AnalyticsLevel cap, String reason) {
    if (level.ordinal() <= cap.ordinal()) {
      return this;
    }
    List<String> more = new ArrayList<>(reasons);
    more.add(reason);
    return new Consent(cap, more);
  }

  /** Why the level is lower than configured (or off), in plain words; empty when nothing lowered it. */
  public List<String> reasons() {
    return reasons;
  }
}
