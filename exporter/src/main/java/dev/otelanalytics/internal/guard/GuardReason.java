package dev.otelanalytics.internal.guard;

/** Why a value guard refused a value. Used for counting and for the privacy statement. */
public enum GuardReason {
  EMAIL("an e-mail address"),
  IP_ADDRESS("an IPv4, IPv6 or MAC address, or a host name made of an IP address"),
  HOME_PATH("a filesystem path inside a home or user directory, or on a network share"),
  URL_SECRET("a URL with credentials, or a query string"),
  SECRET_TOKEN("a bearer token, JWT, API key, password=… or --password …, a UUID, or another high-entropy secret or id"
      + " (in a URL path too)"),
  CARD_NUMBER("a card number (13 to 19 digits that pass the Luhn check), or any number of 13 or more digits stored as a number");

  private final String description;

  GuardReason(String description) {
    this.description = description;
  }

  /** Plain-words description, e.g. "an e-mail address". */
  public String description() {
    return description;
  }
}
