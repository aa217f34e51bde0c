package dev.otelanalytics.relay.internal;

/** What became of one request's spans or points. */
public final class IngestResult {
  /** How the request is answered. */
  public final Outcome outcome;
  /** Spans or points in the request. */
  public final long received;
  /** Spans or points refused as invalid; 0 unless {@link Outcome#PARTIALLY_ACCEPTED}. */
  public final long rejected;
  /** Why they were refused, for {@code partial_success.error_message} (never a value from the request). */
  public final String message;

  IngestResult(Outcome outcome, long received, long rejected, String message) {
    this.outcome = outcome;
    this.received = received;
    this.rejected = rejected;
    this.message = message;
  }
}
