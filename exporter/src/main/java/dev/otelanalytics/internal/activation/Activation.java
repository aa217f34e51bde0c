package dev.otelanalytics.internal.activation;

import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.internal.LogText;
import dev.otelanalytics.internal.config.ControlSettings;
import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.internal.state.UserChoices;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The one on/off decision. Every way analytics starts (the SDK autoconfigure, the Java agent, the
 * programmatic builder, and through them the metric exporter) and the {@code status} command ask
 * it, so they can never disagree: from the settings, the environment, the person's stored choices
 * and the service name, it gives the level in force, the reasons in plain words, and whether the
 * first-run notice is due. The most private signal always wins (see {@link Consent}).
 */
public final class Activation {
  /** Why a run that showed the first-run notice sends nothing. */
  public static final String FIRST_RUN_REASON = "the first-run notice was shown in this run; sending starts with the next run";

  private static final Logger logger = Logger.getLogger(Activation.class.getName());

  /** How analytics was asked for, which sets what an unset {@code OTEL_ANALYTICS_ENABLED} means. */
  public enum EntryPoint {
    /** The SDK autoconfigure, the Java agent and the {@code status} command: on only with {@code OTEL_ANALYTICS_ENABLED=true}. */
    SETTINGS,
    /** The programmatic builder: the code asked for it, so on unless {@code OTEL_ANALYTICS_ENABLED=false}. */
    CODE
  }

  private Activation() {}

  /**
   * Decides. Reads the stored choices, creates nothing.
   *
   * @param environment looks an environment variable up by name ({@code DO_NOT_TRACK})
   */
  public static ActivationDecision decide(ControlSettings settings, EntryPoint entryPoint, Function<String, String> environment,
      UserChoices choices, String serviceName) {
    Boolean switchSetting = settings.enabled();
    boolean enabled = switchSetting != null ? switchSetting : entryPoint == EntryPoint.CODE;
    Consent consent = Consent.evaluate(settings.level(), environment, settings.optOutEnv(), choices.storedLevel());
    List<String> reasons = new ArrayList<>(consent.reasons());
    AnalyticsLevel level = enabled ? consent.level() : AnalyticsLevel.OFF;
    if (enabled && !ServiceIdentity.isNamed(serviceName)) {
      level = AnalyticsLevel.OFF;
      reasons.add(ServiceIdentity.unnamedReason(serviceName));
    } else if (enabled && !settings.services().isEmpty() && !settings.services().contains(serviceName)) {
      level = AnalyticsLevel.OFF;
      reasons.add("this program (" + serviceName + ") is not in OTEL_ANALYTICS_SERVICES");
    }
    String notice = level != AnalyticsLevel.OFF && settings.notice() != null && !choices.noticeShown() ? settings.notice() : null;
    return new ActivationDecision(enabled, level, reasons, notice);
  }

  /**
   * The more private of two decisions about the same run: {@code fromCode} (the settings and
   * environment the app's code supplied) and {@code fromProcess} (this process's own system
   * properties and environment variables), both decided as {@link EntryPoint#CODE}. Code may supply its own settings, but it can never
   * make a run less private than the person's environment asks: a lower level, an opt-out or
   * {@code OTEL_ANALYTICS_ENABLED=false} in the process always applies. The notice is the code's.
   */
  public static ActivationDecision mostPrivate(ActivationDecision fromCode, ActivationDecision fromProcess) {
    boolean enabled = fromCode.enabled() && fromProcess.enabled();
    AnalyticsLevel level = enabled ? fromCode.level().mostPrivate(fromProcess.level()) : AnalyticsLevel.OFF;
    List<String> reasons = new ArrayList<>(fromCode.reasons());
    for (String reason : fromProcess.reasons()) {
      if (!reasons.contains(reason)) {
        reasons.add(reason);
      }
    }
    String notice = level == AnalyticsLevel.OFF ? null : fromCode.noticeDue() ? fromCode.noticeText() : fromProcess.noticeText();
    return new ActivationDecision(enabled, level, reasons, notice);
  }

  /**
   * Shows the first-run notice when {@code decision} says it is due, records that it was shown,
   * and returns the decision for this run: capped at {@code local}, so that nothing is sent before
   * the person could opt out. Returns {@code decision} itself when no notice is due.
   */
  public static ActivationDecision showNoticeIfDue(ActivationDecision decision, StateDirectory state, PrintStream out) {
    if (!decision.noticeDue()) {
      return decision;
    }
    out.println(decision.noticeText());
    out.flush();
    if (!state.choices().recordNoticeShown()) {
      logger.warning("otel-analytics: the first-run notice cannot be recorded in " + LogText.path(state.root())
          + ", so nothing will ever be sent from here; set OTEL_ANALYTICS_STATE_DIR to a writable directory");
    }
    return decision.afterNoticeShown();
  }
}
