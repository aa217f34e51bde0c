package dev.otelanalytics.internal.guard;

/** Why a value guard refused a value. Used for counting and for the privacy statement. */
public enum GuardReason {
  EMAIL("an e-mail address"),
  IP_ADDRESS("an IPv4, IPv6 or MAC address, or a host name that holds an IPv4 address, written with dots or dashes"),
  HOME_PATH("a filesystem path inside a home or user directory (under any root, or ~name), or on a network share"),
  URL_SECRET("a URL with credentials or a query string, or whose path holds a long number or a random-looking id"
      + " (webhooks, signed, reset and invitation links)"),
  SECRET_TOKEN("a bearer token, JWT, API key or private key; a password, secret, token or session id given a value"
      + " (password=…, DB_PASSWORD=…, session_id=…, --password …, -p glued to a password); a prefixed random key or id"
      + " (sk_live_…, cus_…); a UUID; or another high-entropy secret or id (in a URL path too)"),
  CARD_NUMBER("a card number (13 to 19 digits that pass the Luhn check), or any number of 13 or more digits stored as a number"),
  PERSONAL_ID("a phone number, international or national; a national id (social security, tax, identity card,"
      + " passport or driving licence number), recognised by its shape or its label; a bank account (an IBAN, or a"
      + " number after its label) or another record number after its label (patient, member, employee, customer);"
      + " or a text holding 9 or more digits in a row or in groups, or 16 or more hex digits mixing letters and digits,"
      + " which identify a person or a record (so a Unix time written as digits is dropped too; decimals, a version's"
      + " build number after '+' and compact ISO dates such as 20240501120000 are not taken for ids)");

  private final String description;

  GuardReason(String description) {
    this.description = description;
  }

  /** Plain-words description, e.g. "an e-mail address". */
  public String description() {
    return description;
  }
}
