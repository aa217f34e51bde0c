package dev.otelanalytics.internal.guard;

/** Why a value guard refused a value. Used for counting and for the privacy statement. */
public enum GuardReason {
  EMAIL("an e-mail address, also with spaces around its '@', or with 'at' written out (bob (at) example.org, dave at"
      + " example dot com, maria.lopez at correo.es when the name before 'at' has a dot, '_' or digit)"),
  IP_ADDRESS("an IPv4, IPv6 or MAC address (also a MAC address without separators after its name, mac=001a2b3c4d5e), or"
      + " a host name that holds an IPv4 address, written with dots or dashes, or in hex in an internet provider's name"
      + " for a customer's line (p5b0c3a1e.dip0.example.de) (four parts of a version, such as jdk-17.0.8.1,"
      + " 5.10.102.1-microsoft, 0ubuntu0.22.04.1 or Zulu 17.0.12.0 after the name of a product or runtime, are not taken"
      + " for an address)"),
  HOME_PATH("a filesystem path inside a home, user or profile directory (under any root, ~name, a user's /~name on a web"
      + " server, a roaming Windows profile in a Profiles folder, a user's own folder in a WebDAV or cloud-storage URL such"
      + " as /remote.php/dav/files/name/ or /personal/name_example_com/), or on a network share (a UNC path, or a smb://,"
      + " cifs://, afp://, nfs:// or file://server/ URL; a WSL distribution's \\\\wsl.localhost\\ or \\\\wsl$\\ is not a"
      + " share, only a home inside it counts)"),
  URL_SECRET("a URL with credentials or a query string, or whose path holds a long number or a random-looking id"
      + " (webhooks, signed, reset and invitation links); a route template whose query holds only placeholders"
      + " (?q={query}) is kept"),
  SECRET_TOKEN("a bearer token, JWT, API key or private key (also PuTTY's and age's key files); a password, secret, token"
      + " or session id given a value (password=…, DB_PASSWORD=…, session_id=…, --password …, -storepass …,"
      + " --api-token=…, curl -u name:password, -p glued to a password), a value that is only a placeholder such as"
      + " {token} is kept; a password named in another language (Passwort: …, mot de passe : …, contraseña: …, пароль: …,"
      + " パスワード：…) when its value has a digit, a symbol or a capital after a lower-case letter, so Passwort: vergessen"
      + " is kept; a prefixed random key or id (sk_live_…, cus_…); a UUID; or another high-entropy secret or id (in a URL"
      + " path too)"),
  CARD_NUMBER("a card number (13 to 19 digits that pass the Luhn check), or any number of 13 or more digits stored as a number"),
  PERSONAL_ID("a phone number, international or national (also with its area code in parentheses, (020) 7946 0321);"
      + " a national id (social security, tax, identity card,"
      + " passport or driving licence number), recognised by its shape or its label (in English and other European"
      + " languages: Reisepass, Führerschein, passeport, permis de conduire, pasaporte, rijbewijs…); a bank account (an"
      + " IBAN, or a number after its label) or another record number after its label (the id, reference or number of a"
      + " patient, member, employee, customer, account, user, player, subscriber…, also customer 12345678 and labels in"
      + " other languages: Kundennummer, Kunden-Nr., numéro client, codice cliente, número de socio, klantnummer,"
      + " номер клиента, 会員番号, 고객번호…, but not a number that counts things, such as Versionsnummer or Artikelnummer);"
      + " a Salesforce record id after an Id label;"
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
