package dev.otelanalytics.internal.activation;

import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.internal.FileTrust;
import dev.otelanalytics.internal.IsoDate;
import dev.otelanalytics.internal.SecureFiles;
import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.internal.state.StateDirectoryCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Objects;

/**
 * How analytics last started for this state directory: the way in, the level in force, the day.
 * Written only when a run collects (never at {@code off}), and only when it changed, so that
 * the {@code telemetry status} command, which runs apart from the app, can tell what the app
 * actually does: whether an unset {@code OTEL_ANALYTICS_ENABLED} means on (the builder in the
 * app's code) or off (the SDK autoconfigure and the agent), and the level the last run used.
 */
public final class LastStart {
  /** More than any record holds. */
  private static final int MAX_FILE_BYTES = 256;

  private final Activation.EntryPoint wayIn;
  private final AnalyticsLevel level;
  private final LocalDate date;

  public LastStart(Activation.EntryPoint wayIn, AnalyticsLevel level, LocalDate date) {
    this.wayIn = Objects.requireNonNull(wayIn, "wayIn");
    this.level = Objects.requireNonNull(level, "level");
    this.date = Objects.requireNonNull(date, "date");
  }

  public Activation.EntryPoint wayIn() {
    return wayIn;
  }

  public AnalyticsLevel level() {
    return level;
  }

  public LocalDate date() {
    return date;
  }

  /** The record in {@code state}, or null when there is none or it cannot be read. */
  public static LastStart read(StateDirectory state) {
    if (state.problem() != null) {
      return null;
    }
    try {
      String[] fields = new String(SecureFiles.readOwnFile(state.lastStartFile(), FileTrust.Kind.FILE, MAX_FILE_BYTES),
          StandardCharsets.UTF_8).trim().split(" ");
      if (fields.length != 3) {
        return null;
      }
      AnalyticsLevel level = AnalyticsLevel.parse(fields[1]);
      LocalDate date = IsoDate.parse(fields[2]);
      return level == null || date == null ? null : new LastStart(Activation.EntryPoint.valueOf(fields[0]), level, date);
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  /** Stores this record unless {@code state} already holds the same; false when it cannot be written. */
  public boolean store(StateDirectory state) {
    if (equals(read(state))) {
      return true;
    }
    try {
      // Not synced: a record a power cut takes back only makes status guess from the settings for one run.
      SecureFiles.replace(StateDirectoryCheck.open(state).lastStartFile(), (text() + "\n").getBytes(StandardCharsets.UTF_8));
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** For the status report: "2026-11-29, started by the app's code (OtelAnalytics.builder()), at level anonymous". */
  public String describe() {
    return date + ", started " + (wayIn == Activation.EntryPoint.CODE
        ? "by the app's code (OtelAnalytics.builder())" : "by the OpenTelemetry SDK autoconfigure or Java agent")
        + ", at level " + level.settingValue();
  }

  private String text() {
    return wayIn.name() + " " + level.settingValue() + " " + date;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LastStart && text().equals(((LastStart) o).text());
  }

  @Override
  public int hashCode() {
    return text().hashCode();
  }

  @Override
  public String toString() {
    return "LastStart{" + text() + "}";
  }
}
