package dev.otelanalytics.internal.activation;

import dev.otelanalytics.consent.AnalyticsLevel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What {@link Activation#decide} concluded: the level in force, why, and whether the first-run notice is due. Immutable. */
public final class ActivationDecision {
  private final boolean enabled;
  private final AnalyticsLevel level;
  private final List<String> reasons;
  private final String noticeText;

  ActivationDecision(boolean enabled, AnalyticsLevel level, List<String> reasons, String noticeText) {
    this.enabled = enabled;
    this.level = level;
    this.reasons = Collections.unmodifiableList(new ArrayList<>(reasons));
    this.noticeText = noticeText;
  }

  /** True when analytics was switched on for this program (before any opt-out). */
  public boolean enabled() {
    return enabled;
  }

  /** The level in force: {@code off} when disabled, not for this service or opted out. */
  public AnalyticsLevel level() {
    return level;
  }

  /** True when nothing at all may be done, not even locally. */
  public boolean isOff() {
    return level == AnalyticsLevel.OFF;
  }

  /** Why the level is lower than configured (or off), in plain words; empty when nothing lowered it. */
  public List<String> reasons() {
    return reasons;
  }

  /** True when the first-run notice must be shown before anything is collected. */
  public boolean noticeDue() {
    return noticeText != null;
  }

  /** The notice text when it is due, else null. */
  public String noticeText() {
    return noticeText;
  }

  /** This decision after the notice was shown in this run: capped at {@code local}, nothing is sent. */
  ActivationDecision afterNoticeShown() {
    List<String> more = new ArrayList<>(reasons);
    more.add(Activation.FIRST_RUN_REASON);
    return new ActivationDecision(enabled, level.mostPrivate(AnalyticsLevel.LOCAL), more, null);
  }

  @Override
  public String toString() {
    return "ActivationDecision{level=" + level.settingValue() + ", reasons=" + reasons + ", noticeDue=" + noticeDue() + "}";
  }
}
