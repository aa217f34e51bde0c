package dev.otelanalytics;

import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.internal.LogText;
import dev.otelanalytics.policy.PrivacyPolicy;
import dev.otelanalytics.policy.PrivacyStatement;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/** What analytics does for one service on this machine, and why: the {@code status} command's report. */
public final class AnalyticsStatus {
  private final String serviceName;
  private final boolean enabled;
  private final AnalyticsLevel level;
  private final List<String> reasons;
  private final String configError;
  private final String destination;
  private final Path stateDirectory;
  private final String installId;
  private final PrivacyPolicy policy;
  private final long localEvents;
  private final long unreadableLines;
  private final long retentionDays;
  private final int outboxBatches;
  private final String optOutVariable;
  private final String serviceNameNote;
  private final String lastStart;
  private final boolean startedByCode;

  AnalyticsStatus(String serviceName, boolean enabled, AnalyticsLevel level, List<String> reasons, String configError,
      String destination, Path stateDirectory, String installId, PrivacyPolicy policy, long localEvents,
      long unreadableLines, long retentionDays, int outboxBatches, String optOutVariable, String serviceNameNote, String lastStart,
      boolean startedByCode) {
    this.startedByCode = startedByCode;
    this.serviceNameNote = serviceNameNote;
    this.lastStart = lastStart;
    this.serviceName = serviceName;
    this.enabled = enabled;
    this.level = level;
    this.reasons = Collections.unmodifiableList(reasons);
    this.configError = configError;
    this.destination = destination;
    this.stateDirectory = stateDirectory;
    this.installId = installId;
    this.policy = policy;
    this.localEvents = localEvents;
    this.unreadableLines = unreadableLines;
    this.retentionDays = retentionDays;
    this.outboxBatches = outboxBatches;
    this.optOutVariable = optOutVariable;
  }

  /**
   * The level in force: {@code off} when disabled, misconfigured or opted out.
   *
   * @return the level
   */
  public AnalyticsLevel level() {
    return level;
  }

  /**
   * Why the level is lower than configured, in plain words.
   *
   * @return the reasons, unmodifiable; empty when there are none
   */
  public List<String> reasons() {
    return reasons;
  }

  /**
   * The configuration problem that keeps analytics off, or null.
   *
   * @return the problem in plain words, or null when the configuration is valid
   */
  public String configError() {
    return configError;
  }

  /**
   * The directory holding this service's install id, hash key, local store and outbox.
   *
   * @return the directory (it may not exist yet)
   */
  public Path stateDirectory() {
    return stateDirectory;
  }

  /**
   * Events in the local store.
   *
   * @return how many events are stored on this machine
   */
  public long localEvents() {
    return localEvents;
  }

  /**
   * Lines of the local store that could not be read (damaged by a partial write) and were skipped.
   *
   * @return how many
   */
  public long unreadableLines() {
    return unreadableLines;
  }

  /**
   * Batches waiting in the outbox.
   *
   * @return how many batches wait to be sent to a remote destination
   */
  public int outboxBatches() {
    return outboxBatches;
  }

  /**
   * The report as people read it.
   *
   * @param levelCommand how users change the level (e.g. {@code mycli telemetry level}); the report
   *     suggests running it with {@code off}
   * @return the report as lines of plain text, each ending with a newline
   */
  public String toText(String levelCommand) {
    StringBuilder out = new StringBuilder();
    out.append("Usage analytics for ").append(serviceName);
    if (serviceNameNote != null) {
      out.append(" (").append(serviceNameNote).append(')');
    }
    out.append('\n');
    out.append("  Level:        ").append(level.settingValue()).append(" - ").append(meaning()).append('\n');
    if (configError != null) {
      out.append("  Why:          the configuration is invalid: ").append(configError).append('\n');
    } else if (!enabled) {
      out.append("  Why:          not enabled for this program (OTEL_ANALYTICS_ENABLED is ")
          .append(startedByCode ? "false" : "not true").append(")\n");
    }
    for (String reason : reasons) {
      out.append("  Why:          ").append(reason).append('\n');
    }
    out.append("  Destination:  ").append(destination).append('\n');
    out.append("  Last start:   ").append(lastStart == null ? "never collected here" : lastStart).append('\n');
    out.append("  State dir:    ").append(LogText.path(stateDirectory)).append('\n');
    out.append("  Install id:   ").append(installId == null ? "(none yet)" : installId)
        .append(" (random; not derived from this machine or from you)\n");
    out.append("  Local store:  ").append(localEvents).append(localEvents == 1 ? " event" : " events")
        .append(", kept ").append(retentionDays).append(" days");
    if (unreadableLines > 0) {
      out.append(" (").append(unreadableLines).append(unreadableLines == 1 ? " unreadable line" : " unreadable lines")
          .append(" skipped)");
    }
    out.append('\n');
    out.append("  Outbox:       ").append(outboxBatches).append(outboxBatches == 1 ? " batch" : " batches")
        .append(" waiting to be sent\n");
    out.append('\n').append(PrivacyStatement.summary(policy));
    if (level == AnalyticsLevel.OFF) {
      out.append("\nIt is off. To choose a level: ").append(levelCommand)
          .append(" local (kept on this machine only) or anonymous; the most private setting still wins.\n");
    } else {
      out.append("\nTo turn it off: set DO_NOT_TRACK=1");
      if (optOutVariable != null) {
        out.append(" or ").append(optOutVariable).append("=1");
      }
      out.append(", or run: ").append(levelCommand).append(" off\n");
    }
    return out.toString();
  }

  private String meaning() {
    switch (level) {
      case OFF:
        return "nothing is collected or sent, not even locally";
      case LOCAL:
        return "scrubbed events are kept on this machine only";
      default:
        return destination.startsWith("PostHog") || destination.startsWith("Google") ? "scrubbed, anonymous events are sent to the destination below"
            : "scrubbed events go to the destination below";
    }
  }

  @Override
  public String toString() {
    return "AnalyticsStatus{service=" + serviceName + ", level=" + level + ", reasons=" + reasons + "}";
  }
}
