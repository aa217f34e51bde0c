package dev.otelanalytics.internal.guard;

/** Why a value guard refused a value. Used for counting and for the privacy statement. */
public enum GuardReason {
  EMAIL("an e-mail address, also with spaces around its '@', or with 'at' written out (bob (at) example.org, dave at"
      + " example dot com, maria.lopez at correo.es when the name before 'at' has a dot, '_' or digit)"),
  IP_ADDRESS("an IPv4, IPv6 or MAC address, or a host name that holds an IPv4 address, written with dots or dashes (four"
      + " parts of a version, such as jdk-17.0.8.1 or 5.10.102.1-microsoft, are not taken for an address)"),
  HOME_PATH("a filesystem path inside a home, user or profile directory (under any root, ~name, a user's /~name on a web"
      + " server, a roaming Windows profile in a Profiles folder), or on a network share (a UNC path, or a smb://, cifs://,"
      + " afp://, nfs:// or file://server/ URL)"),
  URL_SECRET("a URL with credentials or a query string, or whose path holds a long number or a random-looking id"
      + " (webhooks, signed, reset and invitation links); a route template whose query holds only placeholders"
      + " (?q={query}) is kept"),
  SECRET_TOKEN("a bearer token, JWT, API key or private key; a password, secret, token or session id given a value"
      + " (password=…, DB_PASSWORD=…, session_id=…, --password …, -storepass …, --api-token=…, curl -u name:password, -p"
      + " glued to a password); a prefixed random key or id (sk_live_…, cus_…); a UUID; or another high-entropy secret or"
      + " id (in a URL path too)"),
  CARD_NUMBER("a card number (13 to 19 digits that pass the Luhn check), or any number of 13 or more digits stored as a number"),
  PERSONAL_ID("a phone number, international or national; a national id (social security, tax, identity card,"
      + " passport or driving licence number), recognised by its shape or its label (in English and other European"
      + " languages: Reisepass, Führerschein, passeport, permis de conduire, pasaporte, rijbewijs…); a bank account (an"
      + " IBAN, or a number after its label) or another record number after its label (the id, reference or number of a"
      + " patient, member, employee, customer, account, user, player, subscriber…);"
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
