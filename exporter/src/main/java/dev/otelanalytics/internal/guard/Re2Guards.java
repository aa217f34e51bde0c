package dev.otelanalytics.internal.guard;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The {@link ValueGuards} written as RE2 patterns, the regular expressions of Go and so of the
 * OpenTelemetry Collector (its redaction processor's {@code blocked_values}), as far as RE2 can
 * say them; and, in plain words, what it cannot.
 *
 * <p>RE2 has no look-around and no back-references, so each guard's boundaries are written as
 * characters the match takes in (which changes nothing for a yes/no "does it occur" test), and
 * each pattern uses only syntax that Java's {@code java.util.regex} reads the same way, so that
 * tests can check them in Java. What RE2 cannot express at all is the arithmetic some guards do
 * on a match: the Luhn check of card numbers and the entropy tests of secrets; so the card and
 * hex patterns drop every such run, not only the ones Java's guards drop. Of the checks Java makes
 * again on a decoded value, only an option glued to its value ({@code -IAKIA...}) is covered in
 * full (it counts as a boundary); percent escapes only for e-mail addresses and home paths, and
 * full-width forms and zero-width characters not at all.
 *
 * <p>Whoever changes a guard in {@link ValueGuards} changes its pattern here; {@code
 * Re2GuardsTest} holds both to the same canaries.
 */
public final class Re2Guards {
  /** One guard as an RE2 pattern. */
  public static final class Re2Guard {
    private final GuardReason reason;
    private final String description;
    private final String pattern;

    private Re2Guard(GuardReason reason, String description, String pattern) {
      this.reason = reason;
      this.description = description;
      this.pattern = pattern;
    }

    /**
     * Which guard this is.
     *
     * @return the reason Java's guards give for the same values
     */
    public GuardReason reason() {
      return reason;
    }

    /**
     * What the pattern finds, in a few words, for a comment next to it.
     *
     * @return the description
     */
    public String description() {
      return description;
    }

    /**
     * The pattern: RE2 syntax that {@code java.util.regex} reads the same way; it may match
     * anywhere in a value.
     *
     * @return the pattern
     */
    public String pattern() {
      return pattern;
    }
  }

  // Characters that may appear in an e-mail address's local part; Java's EMAIL and BARE_EMAIL.
  private static final String LOCAL = "[\\p{L}\\p{N}._%+'-]";
  private static final String NOT_LOCAL = "[^\\p{L}\\p{N}._%+'-]";
  private static final String OCTET = "0*(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])";
  private static final String HEX_GROUP = "[0-9A-Fa-f]{0,4}";
  // An option glued to its value ("-IAKIA...", "-I2001:db8::1"): Java checks such a value again with
  // a space put in; here the option counts as a boundary where a pattern needs one.
  private static final String GLUED = "(?:^|\\s)--?[A-Za-z]";
  private static final String WORD_START = "(?:\\b|" + GLUED + ")";
  private static final String HEX_BOUNDARY_BEFORE = "(?:^|[^0-9A-Za-z:]|" + GLUED + ")";
  private static final String HEX_BOUNDARY_AFTER = "(?:[^0-9A-Za-z:]|\\z)";
  // Where a home path may start: Java's PATH_START, and after an option glued to it ("-I/home/a").
  private static final String PATH_START = "(?:^|[\\s\"'=:(\\[,;<>@|]|file://|" + GLUED + ")";
  private static final String TOKEN_CHAR = "[A-Za-z0-9._~+/=-]";
  // Java's LOCAL_RUN, LABEL and BRACKET_DOT: an address written with spaces or words around its '@'.
  private static final String LOCAL_RUN = "(?:^|" + NOT_LOCAL + ")[\\p{L}\\p{N}]" + LOCAL + "{0,63}";
  private static final String LOCAL_START = "(?:^|" + NOT_LOCAL + ")";
  private static final String LABEL = "[\\p{L}\\p{N}-]{1,63}";
  private static final String BRACKET_DOT = "\\s*[\\[({<]\\s*dot\\s*[\\])}>]\\s*";
  private static final String WORD_END = "(?:[^\\p{L}\\p{N}]|\\z)";
  // Java's (?<![\p{L}\p{N}]) and (?![0-9]|[.-][0-9]): where a word starts, and where a number ends for good.
  private static final String WORD_BEFORE = "(?:^|[^\\p{L}\\p{N}])";
  private static final String NUMBER_ENDS = "(?:[^0-9.-]|[.-][^0-9]|[.-]?\\z)";
  // Java's NOT_A_ROUTE_SEGMENT without look-ahead: a path component other than "api" or "v" and digits.
  private static final String SEG = "[^/\\s{}:*]";
  private static final String NOT_A_ROUTE_SEGMENT = "(?:[^/\\s{}:*av]" + SEG + "*|a|ap|a[^/\\s{}:*p]" + SEG + "*|ap[^/\\s{}:*i]"
      + SEG + "*|api" + SEG + "+|v|v[^/\\s{}:*0-9]" + SEG + "*|v[0-9]+[^/\\s{}:*0-9]" + SEG + "*)";
  // A value after a setting's name that is not a short plain word ([A-Za-z][a-z]{0,7}): 9 or more characters, or
  // one that is not a letter, or an upper-case letter after the first.
  private static final String SETTING_CHAR = "[^\\s\"'&;,]";
  private static final String NOT_A_SHORT_PLAIN_WORD = "(?:" + SETTING_CHAR + "{9}|" + SETTING_CHAR + "*[^A-Za-z\\s\"'&;,]|"
      + SETTING_CHAR + "+[A-Z])";
  // A run glued to -p that mixes letters and digits, or both cases (Java's hasGluedPassword).
  private static final String MIXED_PAIR = "(?:[0-9]\\S*[A-Za-z]|[A-Za-z]\\S*[0-9]|[a-z]\\S*[A-Z]|[A-Z]\\S*[a-z])";
  // Characters of a URL after "://" (Java's isUrlChar), and of its path (no query, no fragment).
  private static final String URL_PATH_CHAR = "[^\\x00-\\x20\"'<>?#]";

  private static final List<Re2Guard> GUARDS = Collections.unmodifiableList(Arrays.asList(
      new Re2Guard(GuardReason.URL_SECRET, "URL with credentials (https://user:pass@host)",
          "(?i)\\b[a-z][a-z0-9+.-]*://[^/\\s?#]*@"),
      new Re2Guard(GuardReason.EMAIL, "e-mail address, IDN and punycode domains too",
          "(?:" + LOCAL + "+|\"[^\"\\r\\n]{1,64}\")@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.(?:\\p{L}{2,}|xn--[A-Za-z0-9-]+)"),
      new Re2Guard(GuardReason.EMAIL, "e-mail address without a top-level domain (alice@corp, root@localhost)",
          "(?:^|" + NOT_LOCAL + ")\\p{L}" + LOCAL + "{0,63}@\\p{L}[\\p{L}-]{1,62}(?:[^\\p{L}\\p{N}.@/{-]|\\z)"),
      new Re2Guard(GuardReason.EMAIL, "e-mail address with its '@' encoded (alice%40example.com, alice%2540example.com,"
          + " alice&#64;example.com)",
          "[\\p{L}\\p{N}._+'-]+(?:%(?:25)*40|&#0*64;|&#[xX]0*40;|&commat;|\\\\u0040|\\\\x40)[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.(?:\\p{L}{2,}|xn--[A-Za-z0-9-]+)"),
      new Re2Guard(GuardReason.EMAIL, "e-mail address with spaces after its '@' (alice @ example.com)",
          LOCAL_RUN + "\\s*@\\s+" + LABEL + "(?:\\." + LABEL + ")*\\.(?:\\p{L}{2,}|xn--[A-Za-z0-9-]+)"),
      new Re2Guard(GuardReason.EMAIL, "e-mail address with a bracketed 'at' (bob (at) example.org, carol [at] example [dot] com)",
          "(?i)" + LOCAL_RUN + "\\s*[\\[({<]\\s*at\\s*[\\])}>]\\s*" + LABEL + "(?:(?:" + BRACKET_DOT + "|\\s+dot\\s+|\\.)" + LABEL
              + "){0,5}(?:" + BRACKET_DOT + "|\\s+dot\\s+|\\.)\\p{L}{2,24}" + WORD_END),
      new Re2Guard(GuardReason.EMAIL, "e-mail address spelled out (dave at example dot com; without Java's English stop words)",
          "(?i)" + LOCAL_RUN + "\\s+at\\s+" + LABEL + "(?:(?:\\s+dot\\s+|\\.)" + LABEL + "){0,4}(?:" + BRACKET_DOT
              + "|\\s+dot\\s+)(?:" + ValueGuards.SPELLED_TLDS + ")" + WORD_END),
      new Re2Guard(GuardReason.EMAIL, "e-mail address with a spelled 'at' and a dotted domain in one case (maria.lopez at"
          + " correo.es), the local part with a letter first and a '.', '_' or digit",
          LOCAL_START + "\\p{L}[\\p{L}\\p{N}%+'-]*[._0-9]" + LOCAL + "{0,62}\\s+(?i:at)\\s+"
              + "(?:(?:[a-z0-9-]{1,63}\\.){1,4}(?:" + ValueGuards.DOTTED_TLDS + ")|(?:[A-Z0-9-]{1,63}\\.){1,4}(?:"
              + ValueGuards.DOTTED_TLDS.toUpperCase(Locale.ROOT) + "))(?:[^\\p{L}\\p{N}(/@.-]|\\.[^\\p{L}\\p{N}]|\\.?\\z)"),
      new Re2Guard(GuardReason.URL_SECRET, "URL with a query or fragment, or a query parameter (?email=)",
          "(?i)\\b[a-z][a-z0-9+.-]*://\\S*[?#]|\\?[A-Za-z0-9_.\\[\\]-]+="),
      new Re2Guard(GuardReason.URL_SECRET, "URL whose path holds 6 or more digits in a row (hooks/catch/1234567/)",
          "://[^\\x00-\\x20\"'<>?#/]*/" + URL_PATH_CHAR + "*[0-9]{6}"),
      new Re2Guard(GuardReason.HOME_PATH, "path in a Unix or macOS home directory (/home/, /Users/, /root, ~/)",
          PATH_START + "(?:/home/|/Users/|/root(?:/|\\z)|/var/home/|/var/root/|/var/folders/|/private/var/folders/"
              + "|/run/user/|~[/\\\\]|~[A-Za-z0-9_.-]+/)"),
      new Re2Guard(GuardReason.HOME_PATH, "Windows user directory, local or shared (C:\\Users\\, \\\\server\\users\\,"
          + " \\\\server\\profiles\\)",
          "(?i:" + WORD_START + "[A-Za-z]:[\\\\/]+(?:Users|Documents and Settings)(?:[\\\\/]|\\z))"
              + "|(?i:(?:\\\\\\\\|//)[^\\\\/\\s]+(?:[\\\\/][^\\\\/\\s]+)?[\\\\/](?:users|home|profiles)\\$?[\\\\/])"),
      new Re2Guard(GuardReason.HOME_PATH, "home directory under another root (/export/home/, /usr/home/, /home2/,"
          + " /Volumes/Macintosh HD/Users/, AFS), or a Windows profile seen from WSL, Cygwin or Git Bash (/mnt/c/Users/)",
          PATH_START + "(?:/home\\d+/|/homes/"
              + "|/(?:export|usr|var|mnt|net|nfs|afs|media|srv|Volumes|System/Volumes/Data)(?:/[^/\\r\\n]{1,64}){0,2}/(?:home\\d*|homes|Users)/"
              + "|/afs/[^/\\s]{1,64}/users?/"
              + "|(?:/mnt|/cygdrive)?/[A-Za-z]/(?i:users|documents and settings)/)"),
      new Re2Guard(GuardReason.HOME_PATH, "home directory under any root, one to three components deep (/data/home/frank),"
          + " not under a web route (/api/home/feed, /v1/home/{id})",
          PATH_START + "(?:/" + NOT_A_ROUTE_SEGMENT + "){1,3}/(?:home[0-9]*|homes|Users)/[\\p{L}\\p{N}_.]"),
      new Re2Guard(GuardReason.HOME_PATH, "a user's home by name (~bob, ~bob/notes), not an approximation (~5 min)",
          PATH_START + "~[A-Za-z_][A-Za-z0-9_.-]{0,31}(?:[^A-Za-z0-9_.~-]|\\z)"),
      new Re2Guard(GuardReason.HOME_PATH, "a user's home on a web server or in a path (https://host/~jdoe/cv.pdf), not a"
          + " temporary file (/~WRL0001.tmp)",
          "/~[A-Za-z_](?:[A-Za-z0-9_-]{0,31}(?:[^A-Za-z0-9_.~$-]|\\z)|[A-Za-z0-9_.-]{0,31}/)"),
      new Re2Guard(GuardReason.HOME_PATH, "Windows roaming or redirected profile (\\Profiles\\kwong\\, E:\\Profiles\\kwong,"
          + " X:/Profiles/mlee/), \\Users\\name or \\Documents and Settings\\name without a drive, /Profiles/name/ before a"
          + " profile folder (Desktop, AppData) or as name.V6",
          "(?i:\\\\(?:Profiles\\$?|Users|Documents and Settings)\\\\(?:[^\\\\/\\s]{1,64}[\\\\/]|[^\\\\/\\s.]{1,64}(?:[\\\\/\\s]|\\z)))"
              + "|(?i:\\b[A-Za-z]:[\\\\/]+Profiles\\$?[\\\\/]+[^\\\\/\\s])"
              + "|(?i:/Profiles\\$?/(?:[^/\\s]{1,64}/" + ValueGuards.PROFILE_FOLDERS + "(?:[/\\s]|\\z)"
              + "|[^/\\s.]{1,64}\\.V[0-9]{1,2}(?:/|\\z)))"),
      new Re2Guard(GuardReason.HOME_PATH, "a file on a network share named by a URL (smb://, cifs://, afp://, nfs://, or"
          + " file://server/share; not file:///x nor file://localhost/x)",
          "(?i)\\b(?:smb|cifs|afp|nfs)://[^/\\s?#]+/+[^/\\s?#]|(?i)\\bfile://" + notLocalhost() + "/+[^/\\s]"),
      new Re2Guard(GuardReason.HOME_PATH, "any UNC path (\\\\server\\share), but WSL's own (\\\\wsl.localhost\\Ubuntu,"
          + " \\\\wsl$\\Debian), which are local files",
          PATH_START + "\\\\\\\\" + notAnyOf("A-Za-z0-9._$?-", "wsl.localhost", "wsl$") + "\\\\[^\\\\\\s]+"),
      new Re2Guard(GuardReason.HOME_PATH, "a home inside a WSL distribution (\\\\wsl.localhost\\Ubuntu\\home\\x,"
          + " \\\\wsl$\\Debian\\root\\)",
          "(?i)(?:\\\\\\\\|//)wsl(?:\\.localhost|\\$)[\\\\/][^\\\\/\\s]+[\\\\/](?:home[\\\\/][^\\\\/\\s]|root(?:[\\\\/]|\\z))"),
      new Re2Guard(GuardReason.HOME_PATH, "a user's own folder in a WebDAV or cloud-storage URL (Nextcloud's or ownCloud's"
          + " /remote.php/dav/files/name/, SharePoint's or OneDrive's /personal/name_domain_com/), not a placeholder",
          "(?i)/dav/(?:files|calendars|addressbooks/users|principals/users|trashbin|versions|uploads)/[^/\\s?#{}:*<>]+"
              + "(?:[/\\s?#\"']|\\z)|(?i)/personal/[A-Za-z0-9.-]+(?:_[A-Za-z0-9.-]+){2,}(?:[/\\s?#\"']|\\z)"),
      new Re2Guard(GuardReason.HOME_PATH, "home directory variable, or a percent-encoded home path",
          "(?i:%USERPROFILE%|%HOMEPATH%)|\\$HOME\\b|(?i:%2F(?:home|Users)%2F)"),
      new Re2Guard(GuardReason.IP_ADDRESS, "IPv4 address, also as labels of a host name (app.10.20.30.40.sslip.io); not four"
          + " parts of a version (jdk-17.0.8.1, 5.10.102.1-microsoft, 0ubuntu0.22.04.1), unless the word before names an"
          + " address (ip-, host-, ip10.0.0.5)",
          "(?:^|[^0-9A-Za-z.-]|[A-Za-z-]\\.|(?:^|[^A-Za-z])-|(?:^|[^A-Za-z])(?i:" + ValueGuards.ADDRESS_WORDS + ")-"
              + "|(?:^|[^A-Za-z0-9])(?i:" + ValueGuards.ADDRESS_WORDS + ")|" + GLUED + ")"
              + "(?:" + OCTET + "\\.){3}" + OCTET + "(?:[^0-9-]|-[^A-Za-z]|-?\\z)"),
      new Re2Guard(GuardReason.IP_ADDRESS, "IPv6 address, full or compressed (fe80::1)",
          HEX_BOUNDARY_BEFORE + "(?:(?:" + HEX_GROUP + ":){7}" + HEX_GROUP + "|(?:" + HEX_GROUP + ":)+:(?:" + HEX_GROUP + ":)*"
              + HEX_GROUP + ")" + HEX_BOUNDARY_AFTER),
      new Re2Guard(GuardReason.IP_ADDRESS, "MAC address",
          "(?i)(?:^|[^0-9a-f:-])(?:[0-9a-f]{2}(?::[0-9a-f]{2}){5}|[0-9a-f]{2}(?:-[0-9a-f]{2}){5})(?:[^0-9a-f:-]|\\z)"),
      new Re2Guard(GuardReason.IP_ADDRESS, "MAC address in Cisco's dotted form (0011.2233.4455)",
          "(?i)(?:^|[^0-9a-f.])[0-9a-f]{4}\\.[0-9a-f]{4}\\.[0-9a-f]{4}(?:[^0-9a-f.]|\\.[^0-9a-f]|\\.?\\z)"),
      new Re2Guard(GuardReason.IP_ADDRESS, "MAC address without separators after its label (\"macAddress\":\"001A2B3C4D5E\","
          + " hwaddr 001a2b3c4d5e)",
          "(?i)" + ValueGuards.MAC_LABELS + "[\"']?\\s*[:=]?\\s*[\"']?[0-9a-f]{12}(?:[^0-9a-z]|\\z)"),
      new Re2Guard(GuardReason.IP_ADDRESS, "an ISP's host name holding an address in hex (p5b0c3a1e.dip0.t-ipconnect.de,"
          + " host-5B0C3A1E.example.net): 8 hex digits in the first label, a word of dynamic hosts before them or as a label"
          + " before the last (with no test that the digits are a public address)",
          "(?i)(?:^|[^A-Za-z0-9.-])(?:(?:" + ValueGuards.ISP_HOST_WORDS + ")-?[0-9a-f]{8}(?:\\.[a-z0-9-]{1,63}){2}"
              + "|[a-z]{0,12}-?[0-9a-f]{8}(?:\\.[a-z0-9-]{1,63})*\\.(?:" + ValueGuards.ISP_HOST_WORDS + ")(?:[0-9-][a-z0-9-]*)?"
              + "\\.[a-z0-9-]{1,63})"),
      new Re2Guard(GuardReason.IP_ADDRESS, "IPv4 address written with dashes in a host name (ip-10-1-2-3,"
          + " ec2-54-210-167-204, 192-168-1-1.nip.io), octets without leading zeros",
          "(?:^|[^0-9-]|[A-Za-z]-|[A-Za-z][0-9]{1,2}-)" + ValueGuards.DASHED_OCTET + "(?:-" + ValueGuards.DASHED_OCTET + "){3}"
              + "(?:[^0-9-]|-[^0-9]|-?\\z)"),
      new Re2Guard(GuardReason.SECRET_TOKEN, "credential after an auth scheme (Bearer x7Gq..., Basic dXNl...), not a plain word",
          "(?i:" + WORD_START + "(?:bearer|basic|token|digest))\\s+" + notAPlainWord()),
      new Re2Guard(GuardReason.SECRET_TOKEN, "password setting with any prefix (password=..., PGPASSWORD=..., DB_PASS=...,"
          + " \"db_password\": \"...\"), --password ...",
          "(?i)" + ValueGuards.PASSWORD_NAME + ValueGuards.SETTING_IS + SETTING_CHAR + "+"
              + "|(?:^|\\s)--?(?:password|passwd|token|secret|api-key|apikey)(?:=|\\s+)\\S+"),
      new Re2Guard(GuardReason.SECRET_TOKEN, "password setting in another language (Passwort: Geheim123, mot_de_passe=x9,"
          + " contraseña: …, пароль: …, パスワード：…) whose value has 4 characters or more with a digit or a symbol, or a"
          + " capital after a lower-case letter (not Passwort: vergessen)",
          "(?i:" + ValueGuards.FOREIGN_PASSWORD_NAME + ")" + ValueGuards.FOREIGN_SETTING_IS + foreignPasswordValue()),
      new Re2Guard(GuardReason.SECRET_TOKEN, "secret, token or key setting with any prefix (client_secret=..., SLACK_TOKEN=...,"
          + " AWS_SECRET_ACCESS_KEY=...), not a short plain word (token: expired)",
          "(?i:" + ValueGuards.SECRET_NAME + ")" + ValueGuards.SETTING_IS + NOT_A_SHORT_PLAIN_WORD),
      new Re2Guard(GuardReason.SECRET_TOKEN, "password glued to -p (mysql -pS3cret), mixing letters and digits or both cases",
          "(?:^|\\s)-p(?:" + MIXED_PAIR + "|[^\\s0-9A-Za-z-]\\S*" + MIXED_PAIR + ")"),
      new Re2Guard(GuardReason.SECRET_TOKEN, "command-line option named for a secret and its value (-storepass changeit,"
          + " --db-password x, --api-token=x, -passin pass:x), not --password-file or --no-password --verbose",
          "(?i)(?:^|\\s)--?(?:[A-Za-z0-9][A-Za-z0-9_.-]{0,40})?(?:" + ValueGuards.SECRET_OPTION_ENDS + ")(?:=|\\s+)[\"']?"
              + "[^\\s\"'<>|&;-]"),
      new Re2Guard(GuardReason.SECRET_TOKEN, "a name and password after -u or --user (curl -u admin:S3cret), not a user"
          + " and a numeric group (docker --user 1000:1000)",
          "(?:^|\\s)(?:-u\\s*|--user(?:=|\\s+))[\"']?[^\\s:\"']*:[^\\s\"']*[^\\s\"'0-9]"),
      new Re2Guard(GuardReason.SECRET_TOKEN, "Stripe object id or webhook secret (cus_..., acct_..., whsec_...; Java's guards"
          + " take any prefix when the rest looks random)",
          "(?:^|[^A-Za-z0-9_])(?:acct|ch|cus|evt|pi|pm|price|prod|seti|src|sub|tok|txn|whsec)_"
              + "[A-Za-z0-9]{10}"),
      new Re2Guard(GuardReason.SECRET_TOKEN, "JSON Web Token",
          "eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*"),
      new Re2Guard(GuardReason.SECRET_TOKEN, "API key with a known prefix (AWS, GitHub, Slack, Stripe, OpenAI, Google, GitLab,"
          + " npm, PostHog) or a private key (PEM, OpenSSH, SSH2, PuTTY's .ppk, age)",
          WORD_START + "(?:(?:AKIA|ASIA)[0-9A-Z]{16}\\b|(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}"
              + "|xox[abprs]-[A-Za-z0-9-]{10,}|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}|sk-[A-Za-z0-9_-]{20,}"
              + "|AIza[0-9A-Za-z_-]{30,}|glpat-[A-Za-z0-9_-]{16,}|npm_[A-Za-z0-9]{30,}"
              + "|ph[cx]_[A-Za-z0-9]{30,}|xapp-[A-Za-z0-9-]{10,})"
              + "|" + ValueGuards.KEY_FILE_HEADERS),
      new Re2Guard(GuardReason.SECRET_TOKEN, "UUID of any version, with its dashes",
          "(?i)(?:^|[^0-9a-f])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:[^0-9a-f]|\\z)"),
      new Re2Guard(GuardReason.SECRET_TOKEN, "32 or more hex digits in a row (keys, digests; with no entropy test)",
          "[0-9A-Fa-f]{32}"),
      new Re2Guard(GuardReason.CARD_NUMBER, "13 or more digits in a row, spaces, dots, dashes, slashes or plus signs between"
          + " them allowed (with no Luhn check), so also any whole number of 13 or more digits",
          "\\d(?:[ ._/+-]{0,3}\\d){12}"),
      new Re2Guard(GuardReason.PERSONAL_ID, "international phone number: '+' or 00 and 8 to 15 digits (+44 20 7946 0958,"
          + " +1 (415) 555-2671, 0044 20 7946 0018)",
          "(?:^|[^\\p{L}\\p{N}+])\\+[1-9](?:[ .()-]{0,2}[0-9]){7,14}(?:[^0-9]|\\z)"
              + "|(?:^|[^\\p{L}\\p{N}+.,:-])00 ?[1-9](?:[ ()-]{0,2}[0-9]){7,12}(?:[^0-9]|\\z)"),
      new Re2Guard(GuardReason.PERSONAL_ID, "North American phone number ((202) 555-0178, 202.555.0143, 1-800-555-0199)",
          "(?:^|[^\\p{L}\\p{N}.+-])(?:1[ .-])?(?:\\([2-9][0-9]{2}\\) ?|[2-9][0-9]{2}[ .-])[2-9][0-9]{2}[ .-][0-9]{4}"
              + NUMBER_ENDS),
      new Re2Guard(GuardReason.PERSONAL_ID, "national phone number without its country code (030 901820, 07700 900123,"
          + " 06 12 34 56 78)",
          "(?:^|[^\\p{L}\\p{N}.,+/:-])" + ValueGuards.TRUNK_PHONE + "(?:[^0-9 .,/:-]|[ .,/:-][^0-9]|[ .,/:-]?\\z)"),
      new Re2Guard(GuardReason.PERSONAL_ID, "national phone number with its area code in parentheses ((020) 7946 0321, (0)20"
          + " 7946 0321, (11) 91234-5678)",
          "(?:^|[^\\p{L}\\p{N}])(?:" + ValueGuards.PARENTHESISED_TRUNK_PHONE + ")(?:[^0-9]|\\z)"),
      new Re2Guard(GuardReason.PERSONAL_ID, "phone number after its label (phone: 020 7946 0958, Tel. 030 901820)",
          "(?i)" + WORD_BEFORE + ValueGuards.PHONE_LABELS + ValueGuards.LABEL_TO_VALUE + "\\+?\\(?[0-9](?:[ .()/-]{0,2}[0-9]){6}"),
      new Re2Guard(GuardReason.PERSONAL_ID, "national id by its shape: US SSN (078-05-1120), Brazilian CPF or CNPJ, a date"
          + " and a serial (811228-9874), Belgian, French, Swiss or Chilean numbers, Italian codice fiscale, Mexican CURP or"
          + " RFC, UK National Insurance number, a person's Indian PAN, Singapore NRIC, Hong Kong identity card",
          "(?:^|[^\\p{L}\\p{N}.,+-])" + ValueGuards.NATIONAL_ID_SHAPES + "(?:[^\\p{L}\\p{N}.-]|[.-][^0-9]|[.-]?\\z)"),
      new Re2Guard(GuardReason.PERSONAL_ID, "Spanish DNI or NIE (12345678Z, X1234567L; with no check of the letter)",
          WORD_BEFORE + "(?:[XYZ][0-9]{7}|[0-9]{8})-?[A-Z]" + WORD_END),
      new Re2Guard(GuardReason.PERSONAL_ID, "id after its label (SSN 512-44-8123, passport_no=X12345678, BSN 111222333,"
          + " tax id: 12-3456789, patient id 884412, account_id=5512093, \"buyerRef\":\"b-77120\")",
          "(?i)" + WORD_BEFORE + ValueGuards.ID_LABELS + ValueGuards.LABEL_TO_VALUE
              + "(?:[A-Za-z]{0,2}[ -]?[0-9](?:[ ./-]?[0-9]){4}|[A-Za-z]{0,3}[0-9][A-Za-z0-9]{4})"),
      new Re2Guard(GuardReason.PERSONAL_ID, "record number after its label in another language (numéro client 123456, codice"
          + " cliente, número de socio, номер клиента, 会員番号, 고객번호) or after customer, member, account… (stripe customer"
          + " 99887766)",
          "(?i)" + WORD_BEFORE + "(?:" + ValueGuards.FOREIGN_RECORD_LABELS + "|" + ValueGuards.RECORD_NOUNS + "[\\s:#=])"
              + ValueGuards.FOREIGN_LABEL_TO_VALUE + ValueGuards.LABELLED_ID_VALUE),
      new Re2Guard(GuardReason.PERSONAL_ID, "number after a compound that names it (Kundennummer 12345678, Kunden-Nr. 12345,"
          + " Steuer-IdNr. 12 345 678 901, klantnummer, asiakasnumero; Java's guards keep Versionsnummer, Artikelnummer…)",
          "(?i)" + WORD_BEFORE + "\\p{L}[\\p{L}-]{1,40}" + ValueGuards.COMPOUND_NUMBER_ENDS + ValueGuards.FOREIGN_LABEL_TO_VALUE
              + ValueGuards.LABELLED_ID_VALUE),
      new Re2Guard(GuardReason.PERSONAL_ID, "Salesforce record id after an id label (ContactId: 0035g00000Xk3QzAAJ)",
          "(?i:id)[\"']?\\s*[:=]\\s*[\"']?" + ValueGuards.SALESFORCE_ID + "(?:[^0-9A-Za-z]|\\z)"),
      new Re2Guard(GuardReason.PERSONAL_ID, "passport, identity card or driving licence number after its label, in English"
          + " and other European languages (Reisepass C01X00T47, Führerschein-Nr. B072RRE2I55, rijbewijs 5123456789, DL#"
          + " D1234-5678): 4 digits or more",
          "(?i)" + WORD_BEFORE + ValueGuards.DOCUMENT_LABELS + ValueGuards.DOCUMENT_TO_VALUE
              + "[A-Za-z0-9](?:[A-Za-z/-]*[0-9]){4}"),
      new Re2Guard(GuardReason.PERSONAL_ID, "IBAN, compact or in groups of four (with no checksum test)",
          "(?i)" + WORD_BEFORE + "[A-Z]{2}[0-9]{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){3,7}(?: [A-Z0-9]{1,3})?"
              + "|(?: [A-Z0-9]{4}){2} [A-Z0-9]{3})" + WORD_END),
      new Re2Guard(GuardReason.PERSONAL_ID, "9 or more digits in a row, not after '.', ',' or '+' nor before a decimal part"
          + " (with no exception for compact ISO dates)",
          "(?:^|[^\\p{N}.,+])[0-9]{9,}(?:[^0-9.,]|[.,][^0-9]|[.,]?\\z)"),
      new Re2Guard(GuardReason.PERSONAL_ID, "groups of 3 or 4 digits, 9 or more in all (1234 5678 9012, 046-454-286)",
          "(?:^|[^\\p{N}.,+ -]|(?:^|[^\\p{N}])[ -])[0-9]{3,4}(?:[ -][0-9]{3,4}){2,}(?:[^0-9 .-]|[ .-][^0-9]|[ .-]?\\z)"),
      new Re2Guard(GuardReason.PERSONAL_ID, "16 or more hex digits (a Mongo ObjectId), not a file's content hash (with no test"
          + " that letters and digits mix)",
          "(?i)" + WORD_BEFORE + "[0-9a-f]{16,}(?:[^\\p{L}\\p{N}.]|\\.[^a-z]|\\.?\\z)")));

  private static final List<String> NOT_EXPRESSIBLE = Collections.unmodifiableList(Arrays.asList(
      "the Luhn check of card numbers: every run of 13 or more digits is dropped instead",
      "the entropy tests of secrets: long random keys without a known prefix (24 or more mixed letters and digits)"
          + " are not found at all, nor random-looking URL path segments (/reset/8f3kQ9zLp2Vx7Rt), and every run of 32"
          + " or more hex digits is dropped, however regular",
      "the English stop words after a spelled-out 'at' (look at the dot net runtime): every 'x at y dot com' is dropped",
      "the exceptions of secret options: words that only end in 'pass' (--bypass x, --lowpass 16) and ffmpeg's pass"
          + " number (-pass 1) are dropped; and after -u or --user, a user and a group of the same name (docker --user"
          + " root:root) is dropped as a name and password",
      "a query that holds only placeholders (/search?q={query}&page={page}, a route template): dropped like any query",
      "the checks on the local part before a spelled 'at' and a dotted domain: RE2 asks for a letter first and a '.', '_'"
          + " or digit, not for two letters in a row, and it cannot tell a file name (config.yaml at github.com, dropped)",
      "checking a value again once decoded: percent escapes (only an encoded e-mail address, also encoded twice"
          + " or as an HTML entity, or an encoded home path is found),"
          + " full-width forms (alice\uff20example.com) and zero-width characters hidden in a value",
      "numbers of 1e21 or more written as floating point (the Collector writes them with an exponent)",
      "the IBAN checksum (mod 97): every IBAN-shaped run is dropped; nor the check letter of a Spanish DNI or NIE: every"
          + " 8 digits and a letter are dropped",
      "the exceptions of long numbers and hex ids: compact ISO dates (20240501120000) are dropped as long numbers, and"
          + " runs of 16 or more hex digits are dropped even when they hold no letter or no digit",
      "the randomness test of prefixed ids (cus_NffrFeUfNV2Hib, cst_Q4hv7TzmK2: not made of words): only Stripe's"
          + " prefixes are known, and any run of 10 or more letters and digits after them is dropped",
      "the word before four numbers that makes them a version (Zulu 17.0.12.0, IBM Semeru Runtime 17.0.12.0): RE2 cannot"
          + " look back at a word, so they are dropped as an address",
      "a secret setting whose value is only a placeholder (password={password}, /reset-password?token={token}): dropped"
          + " like any password setting or query",
      "the first parts of compounds that number things, not people (Versionsnummer, Artikelnummer, Fehlernummer,"
          + " Portnummer): any word ending in -nummer, -Nr., -numero or -tunnus before 5 digits or more is dropped",
      "decoding the 8 hex digits of an internet provider's host name: one that holds a private or loopback address"
          + " (host-0a000001.example.net) is dropped too"));

  private Re2Guards() {}

  /**
   * Every guard RE2 can express, in a fixed order.
   *
   * @return the guards, unmodifiable
   */
  public static List<Re2Guard> all() {
    return GUARDS;
  }

  /**
   * What of {@link ValueGuards} RE2 cannot express, one plain-words line each, for comments and docs.
   *
   * @return the lines, unmodifiable
   */
  public static List<String> notExpressible() {
    return NOT_EXPRESSIBLE;
  }

  /**
   * A host name other than "localhost", followed by '/', without look-ahead: it leaves "localhost" at some character,
   * stops before its end, or goes on after it (any case; no ':', '/', '?', '#' or space in it).
   */
  private static String notLocalhost() {
    String word = "localhost";
    String host = "[^/\\s?#:]";
    StringBuilder s = new StringBuilder("(?i:");
    for (int i = 0; i < word.length(); i++) {
      s.append(word, 0, i).append("[^/\\s?#:").append(word.charAt(i)).append(']').append(host).append("*|");
    }
    for (int i = 1; i < word.length(); i++) {
      s.append(word, 0, i).append('|');
    }
    return s.append(word).append(host).append("+)").toString();
  }

  /**
   * The value of a password setting in another language, as Java's guards judge it: 4 characters or more, one a digit or
   * a symbol other than '.', '?', '!', ':' or ')'; or a lower-case letter and a capital after it.
   */
  private static String foreignPasswordValue() {
    String c = "[^\\s\"'&;,]";
    String x = "(?:\\p{Nd}|[^\\p{L}\\p{Nd}\\s\"'&;,.?!:)])";
    return "(?:" + x + c + "{3}|" + c + x + c + "{2}|" + c + "{2}" + x + c + "|" + c + "{3,}" + x + "|" + c + "*\\p{Ll}" + c
        + "*\\p{Lu})";
  }

  /**
   * One or more of the characters {@code chars} (a class body of single characters and ranges, such as "A-Za-z0-9._-")
   * that are not one of {@code words} (any case), without look-ahead: a trie of the words, each node ending the run (if
   * it is no word), going on with a character no word goes on with, or following a word.
   */
  static String notAnyOf(String chars, String... words) {
    StringBuilder set = new StringBuilder();
    for (int i = 0; i < chars.length(); i++) {
      if (i + 2 < chars.length() && chars.charAt(i + 1) == '-') {
        for (char c = chars.charAt(i); c <= chars.charAt(i + 2); c++) {
          set.append(c);
        }
        i += 2;
      } else {
        set.append(chars.charAt(i));
      }
    }
    return trieComplement("", set.toString(), words);
  }

  private static String trieComplement(String prefix, String set, String[] words) {
    StringBuilder children = new StringBuilder();
    boolean isWord = false;
    for (String word : words) {
      String w = word.toLowerCase(Locale.ROOT);
      isWord |= w.equals(prefix);
      if (w.length() > prefix.length() && w.startsWith(prefix) && children.indexOf(w.substring(prefix.length(),
          prefix.length() + 1)) < 0) {
        children.append(w.charAt(prefix.length()));
      }
    }
    List<String> alternatives = new java.util.ArrayList<>();
    if (!prefix.isEmpty() && !isWord) {
      alternatives.add("");
    }
    StringBuilder others = new StringBuilder();
    for (int i = 0; i < set.length(); i++) {
      char c = set.charAt(i);
      if (children.indexOf(String.valueOf(Character.toLowerCase(c))) < 0) {
        others.append(c);
      }
    }
    if (others.length() > 0) {
      alternatives.add(charClass(others.toString()) + charClass(set) + "*");
    }
    for (int i = 0; i < children.length(); i++) {
      char c = children.charAt(i);
      String one = Character.isLetter(c) ? "[" + c + Character.toUpperCase(c) + "]" : charClass(String.valueOf(c));
      alternatives.add(one + trieComplement(prefix + c, set, words));
    }
    return "(?:" + String.join("|", alternatives) + ")";
  }

  /** A character class of the characters given, consecutive ones written as ranges, punctuation escaped. */
  private static String charClass(String chars) {
    char[] sorted = chars.toCharArray();
    Arrays.sort(sorted);
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < sorted.length; i++) {
      int j = i;
      while (j + 1 < sorted.length && sorted[j + 1] == sorted[j] + 1 && Character.isLetterOrDigit(sorted[j + 1])
          && Character.isLetterOrDigit(sorted[i])) {
        j++;
      }
      s.append(escaped(sorted[i]));
      if (j > i + 1) {
        s.append('-').append(escaped(sorted[j]));
      } else if (j == i + 1) {
        s.append(escaped(sorted[j]));
      }
      i = j;
    }
    return s.append(']').toString();
  }

  private static String escaped(char c) {
    return Character.isLetterOrDigit(c) || c == '_' ? String.valueOf(c) : "\\" + c;
  }

  /**
   * A run of 8 or more credential characters that is not a plain word ({@code [A-Z]?[a-z]+}),
   * written without look-ahead: the first character is a digit or symbol, or a later one is not a
   * lower-case letter, with enough characters around it to make eight.
   */
  private static String notAPlainWord() {
    String t = TOKEN_CHAR;
    String first = "[0-9._~+/=-]";
    String later = "[0-9._~+/=A-Z-]";
    StringBuilder s = new StringBuilder("(?:").append(first).append(t).append("{7}");
    for (int at = 1; at < 7; at++) {
      s.append('|').append(t).append(at == 1 ? "" : "{" + at + "}").append(later).append(t).append("{" + (7 - at) + "}");
    }
    return s.append('|').append(t).append("{7,}").append(later).append(')').toString();
  }
}
