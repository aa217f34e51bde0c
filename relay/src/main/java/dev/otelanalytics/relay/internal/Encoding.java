package dev.otelanalytics.relay.internal;

import java.util.Locale;

/** The two OTLP/HTTP payload encodings, chosen by the request's {@code Content-Type}; the answer uses the same. */
public enum Encoding {
  PROTOBUF("application/x-protobuf"),
  JSON("application/json");

  private final String contentType;

  Encoding(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  /** The encoding of a {@code Content-Type} header (parameters such as {@code charset} ignored); null for any other. */
  public static Encoding of(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    for (Encoding encoding : values()) {
      if (encoding.contentType.equals(media)) {
        return encoding;
      }
    }
    return null;
  }
}
