package dev.otelanalytics;

/** What {@link AnalyticsControl#export} wrote. Immutable. */
public final class ExportResult {
  private final long eventsExported;
  private final long unreadableLines;

  ExportResult(long eventsExported, long unreadableLines) {
    this.eventsExported = eventsExported;
    this.unreadableLines = unreadableLines;
  }

  /**
   * Events written to the file.
   *
   * @return how many
   */
  public long eventsExported() {
    return eventsExported;
  }

  /**
   * Lines of the history that could not be read (damaged by a partial write) and were left out.
   *
   * @return how many
   */
  public long unreadableLines() {
    return unreadableLines;
  }

  @Override
  public String toString() {
    return "ExportResult{eventsExported=" + eventsExported + ", unreadableLines=" + unreadableLines + "}";
  }
}
