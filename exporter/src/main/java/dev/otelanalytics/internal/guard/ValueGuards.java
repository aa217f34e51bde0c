package dev.otelanalytics.internal.guard;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Matcher;

/**
 * Recognises values that must never leave the process, whatever a policy allows: e-mail
 * addresses, IP addresses, paths inside home directories, URLs with credentials, queries or ids,
 * tokens and secrets, card-like digit runs, phone numbers, national ids, IBANs and record ids.
 *
 * <p>The guards err on the side of dropping: a value that merely looks like one of these is
 * dropped too. All methods are thread-safe and allocation-light.
 */
public final class ValueGuards {
  // Local part plain or quoted ("a b"@x.org); domain in any script (IDN) or punycode (xn--…). A
  // plain local part is tried only where its run starts, so a long run without an '@' is read once.
  private static final LazyPattern EMAIL = LazyPattern.of(
      "(?:(?<![\\p{L}\\p{N}._%+'-])[\\p{L}\\p{N}._%+'-]+|\"[^\"\\r\\n]{1,64}\")@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*"
          + "\\.(?:\\p{L}{2,}|xn--[A-Za-z0-9-]+)");
  /** An address without a top-level domain (alice@corp, root@localhost): a name, '@', a host made of letters. */
  private static final LazyPattern BARE_EMAIL =
      LazyPattern.of("(?<![\\p{L}\\p{N}._%+'-])\\p{L}[\\p{L}\\p{N}._%+'-]{0,63}@\\p{L}[\\p{L}-]{1,62}(?![\\p{L}\\p{N}.@/{-])");
  /** Local part of an address written with spaces or words around its '@'; it starts a word. */
  private static final String LOCAL_RUN = "(?<![\\p{L}\\p{N}._%+'-])[\\p{L}\\p{N}][\\p{L}\\p{N}._%+'-]{0,63}";
  private static final String LABEL = "[\\p{L}\\p{N}-]{1,63}";
  /** "alice@ example.com", "alice @ example.com": spaces after the '@' (a space before it only is a handle or a file). */
  private static final LazyPattern SPACED_EMAIL = LazyPattern.of(
      LOCAL_RUN + "\\s*@\\s+" + LABEL + "(?:\\." + LABEL + ")*\\.(?:\\p{L}{2,}|xn--[A-Za-z0-9-]+)");
  private static final String BRACKET_DOT = "\\s*[\\[({<]\\s*dot\\s*[\\])}>]\\s*";
  /** "bob (at) example.org", "carol [at] example [dot] com": an "at" in brackets, dots written or spelled. */
  private static final LazyPattern BRACKETED_AT_EMAIL = LazyPattern.of(
      "(?i)" + LOCAL_RUN + "\\s*[\\[({<]\\s*at\\s*[\\])}>]\\s*" + LABEL + "(?:(?:" + BRACKET_DOT + "|\\s+dot\\s+|\\.)" + LABEL
          + "){0,5}(?:" + BRACKET_DOT + "|\\s+dot\\s+|\\.)\\p{L}{2,24}(?![\\p{L}\\p{N}])");
  /** Top-level domains a spelled-out address ends with ("dave at example dot com"). */
  static final String SPELLED_TLDS = "com|org|net|edu|gov|mil|int|io|co|me|info|biz|dev|app|ai|eu|us|uk|ca|au|de|fr|nl|be|ch|at"
      + "|es|it|pt|se|no|dk|fi|pl|cz|ie|ru|jp|cn|in|br|mx|nz|za";
  /** Words after "at" that make it English, not an address ("look at the dot net runtime"). */
  static final String NOT_A_DOMAIN = "the|a|an|this|that|these|those|least|most|all|once|first|last|home|work|my|your|our|their"
      + "|his|her|its|some|any|each|every|which|what|one|no";
  /** "dave at example dot com": a plain "at", and at least the last dot spelled out. */
  private static final LazyPattern SPELLED_EMAIL = LazyPattern.of(
      "(?i)" + LOCAL_RUN + "\\s+at\\s+(?!(?:" + NOT_A_DOMAIN + ")(?![\\p{L}\\p{N}]))" + LABEL + "(?:(?:\\s+dot\\s+|\\.)" + LABEL
          + "){0,4}(?:" + BRACKET_DOT + "|\\s+dot\\s+)(?:" + SPELLED_TLDS + ")(?![\\p{L}\\p{N}])");
  /** Top-level domains a written-out domain after a spelled "at" may end with: {@link #SPELLED_TLDS} and a few more. */
  static final String DOTTED_TLDS = SPELLED_TLDS + "|ar|cl|gr|hu|ro|tr|il|kr|tw|sg|hk|lu|sk|si|lt|lv|ee|ua|is|xyz|email|online";
  /**
   * "maria.lopez at correo.es", "j_smith AT mail.example.org": a plain "at" and a real dotted domain ending in a known
   * top-level domain, in one case (not com.example.Foo.bar, a stack frame), not followed by '(' or '/'. The local part
   * is checked in {@link #hasSpelledAtDottedEmail}: it must look like an address, so English ("look at example.com")
   * passes.
   */
  private static final LazyPattern SPELLED_AT_DOTTED_EMAIL = LazyPattern.of("(?i)(" + LOCAL_RUN + ")\\s+at\\s+(" + LABEL
      + "(?:\\." + LABEL + "){0,3}\\.(?:" + DOTTED_TLDS + "))(?![\\p{L}\\p{N}(/@-]|\\.[\\p{L}\\p{N}])");
  /** A local part that reads as an address: a letter first, two letters in a row, and a '.', '_' or digit. */
  private static final LazyPattern ADDRESS_LIKE_LOCAL = LazyPattern.of("(?=.*\\p{L}\\p{L})(?=.*[._0-9])\\p{L}.*");
  /** A file name's extension: "config.yaml at github.com" names a file, not an address. */
  private static final LazyPattern FILE_EXTENSION_END = LazyPattern.of("(?i).*\\.(?:ya?ml|json|xml|txt|md|html?|js|ts|py|java|jar"
      + "|go|rs|rb|php|cs|cpp|h|sh|toml|ini|cfg|conf|log|csv|pdf|png|jpe?g|gif|svg|zip|gz|tar|exe|dll|so|class|lock)");
  /** An '@' written as an HTML or source escape: decoded before the guards look again. */
  private static final LazyPattern ENCODED_AT = LazyPattern.of("(?i)&#0*64;|&#x0*40;|&commat;|\\\\u0040|\\\\x40");
  /** An IPv4 address, also as labels of a host name (app.10.20.30.40.sslip.io): a dot before it only after a letter. */
  private static final LazyPattern IPV4 = LazyPattern.of("(?:(?<![0-9.])|(?<=[A-Za-z-]\\.))"
      + "(?:0*(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}0*(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(?![0-9])");
  /** An octet as host names write it: no leading zero, so zero-padded dates and times (2024-05-01-12-30) are not one. */
  static final String DASHED_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  /**
   * An IPv4 address written with dashes in a host name (ip-10-0-0-1, ec2-54-210-167-204, 192-168-1-1.nip.io): where a
   * label starts or after a word and a dash, and not inside a longer run of dashed numbers.
   */
  private static final LazyPattern DASHED_IPV4 = LazyPattern.of("(?:(?<![0-9-])|(?<=[A-Za-z]-|[A-Za-z][0-9]{1,2}-))"
      + DASHED_OCTET + "(?:-" + DASHED_OCTET + "){3}(?![0-9]|-[0-9])");
  private static final LazyPattern MAC = LazyPattern.of("(?i)(?<![0-9a-f:-])[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\\1[0-9a-f]{2}){4}(?![0-9a-f:-])");
  /** Cisco's dotted form of a MAC address (0011.2233.4455), not a fourth version part after it. */
  private static final LazyPattern DOTTED_MAC =
      LazyPattern.of("(?i)(?<![0-9a-f.])[0-9a-f]{4}\\.[0-9a-f]{4}\\.[0-9a-f]{4}(?![0-9a-f]|\\.[0-9a-f])");
  /** Labels of a MAC address (mac, macAddress, mac_addr, hwaddr, hardware address, ether, bssid, lladdr, chaddr). */
  static final String MAC_LABELS = "(?:mac(?:[ _-]?addr(?:ess)?)?|hw[ _-]?addr(?:ess)?|hardware[ _-]?addr(?:ess)?"
      + "|physical[ _-]?addr(?:ess)?|ether|bssid|lladdr|chaddr)";
  /** A MAC address written without separators after its label ("macAddress":"001A2B3C4D5E", hwaddr 001a2b3c4d5e). */
  private static final LazyPattern LABELLED_BARE_MAC =
      LazyPattern.of("(?i)" + MAC_LABELS + "[\"']?\\s*[:=]?\\s*[\"']?[0-9a-f]{12}(?![0-9a-z])");
  /**
   * Words of the host names ISPs give their customers' dynamic addresses (dip, dyn, pool, dsl, cable, ppp, customer,
   * access, broadband…), as a label or the start of one (dip0, dyn-12).
   */
  static final String ISP_HOST_WORDS = "dip|dyn|dynamic|dynip|pool|dsl|adsl|vdsl|xdsl|cable|ppp|pppoe|customer|customers"
      + "|cust|client|clients|host|hosts|access|broadband|bb|dhcp|dial|dialup|residential|res|cpe|ftth|fttx|fiber|fibre"
      + "|mobile|wireless|user|users";
  /**
   * A host name whose first label is a word or a letter and 8 hex digits (p5b0c3a1e.dip0.t-ipconnect.de,
   * host-5B0C3A1E.example.net): group 1 is the word, group 2 the digits, group 3 the labels after it (two or more).
   */
  private static final LazyPattern HEX_IP_HOST = LazyPattern.of(
      "(?i)(?<![A-Za-z0-9.-])([a-z]{0,12}-?)([0-9a-f]{8})((?:\\.[a-z0-9-]{1,63}+){2,}+)(?![A-Za-z0-9-])");
  private static final LazyPattern ISP_HOST_LABEL = LazyPattern.of("(?i)(?:" + ISP_HOST_WORDS + ")(?:[0-9-][a-z0-9-]*+)?");
  /** A UUID of any version (and variant), with its dashes; without them it is a 32-digit hex run. */
  private static final LazyPattern UUID =
      LazyPattern.of("(?i)(?<![0-9a-f])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f])");
  private static final LazyPattern IPV6_CANDIDATE =
      LazyPattern.of("(?<![0-9A-Za-z:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Za-z:])");
  // A home directory where a path starts (beginning, after a separator, quote, '=', ':' or
  // "file://"), so routes like "/api/users/42" or "/api/home/feed" are not mistaken for one.
  private static final String PATH_START = "(?:^|(?<=[\\s\"'=:(\\[,;<>@|])|(?<=file://))";
  private static final LazyPattern HOME_PATH =
      LazyPattern.of(
          PATH_START + "(?:/home/|/Users/|/root(?:/|$)|/var/home/|/var/root/|/var/folders/|/private/var/folders/|/run/user/"
              + "|~[/\\\\]|~[A-Za-z0-9_.-]+/)"
              + "|(?i:\\b[A-Za-z]:[\\\\/]+(?:Users|Documents and Settings)(?:[\\\\/]|$))"
              + "|(?i:(?:\\\\\\\\|//)[^\\\\/\\s]+(?:[\\\\/][^\\\\/\\s]+)?[\\\\/](?:users|home|profiles)\\$?[\\\\/])"
              + "|(?i:%USERPROFILE%|%HOMEPATH%)|\\$HOME\\b"
              // Other Unix home roots: /home2/, /homes/, and a home directory under a mount or an
              // export (/export/home/, /usr/home/, /net/fs1/home/, /Volumes/Macintosh HD/Users/, AFS).
              + "|" + PATH_START + "(?:/home\\d+/|/homes/"
              + "|/(?:export|usr|var|mnt|net|nfs|afs|media|srv|Volumes|System/Volumes/Data)(?:/[^/\\r\\n]{1,64}){0,2}/(?:home\\d*|homes|Users)/"
              + "|/afs/[^/\\s]{1,64}/users?/)"
              // A Windows profile seen from WSL, Cygwin or Git Bash: /mnt/c/Users/, /cygdrive/c/Users/, /c/Users/.
              + "|" + PATH_START + "(?:/mnt|/cygdrive)?/[A-Za-z]/(?i:users|documents and settings)/"
              // Any UNC path (\\\\server\\share): a file on a network share, often someone's.
              + "|" + PATH_START + "\\\\\\\\(?!(?i:wsl\\.localhost|wsl\\$)\\\\)[A-Za-z0-9._$?-]+\\\\[^\\\\\\s]+");
  /**
   * A user's own folder in a WebDAV or cloud-storage URL: Nextcloud's and ownCloud's /remote.php/dav/files/name/ (any
   * /dav/files/name, calendars, address books, trash, versions), and SharePoint's or OneDrive for Business's
   * /personal/name_domain_com/. A placeholder ({user}, :user, &lt;user&gt;) is not a name.
   */
  private static final LazyPattern CLOUD_USER_FOLDER = LazyPattern.of("(?i)/dav/(?:files|calendars|addressbooks/users"
      + "|principals/users|trashbin|versions|uploads)/[^/\\s?#{}:*<>]++(?:[/\\s?#\"']|$)"
      + "|(?i)/personal/[A-Za-z0-9.-]++(?:_[A-Za-z0-9.-]++){2,}+(?:[/\\s?#\"']|$)");
  /**
   * A home inside a WSL distribution seen from Windows (\\\\wsl.localhost\\Ubuntu\\home\\x, \\\\wsl$\\Debian\\root\\):
   * WSL's own UNC names are local files, not a network share, and only a home in them is personal.
   */
  private static final LazyPattern WSL_HOME = LazyPattern.of(
      "(?i)(?:\\\\\\\\|//)wsl(?:\\.localhost|\\$)[\\\\/][^\\\\/\\s]++[\\\\/](?:home[\\\\/][^\\\\/\\s]|root(?:[\\\\/]|$))");
  /** A path component that is not a web route's ("api", a version such as "v1", a parameter such as {id} or :id). */
  static final String NOT_A_ROUTE_SEGMENT = "(?!(?:api|v[0-9]+)/)[^/\\s{}:*]++";
  /**
   * A home directory under any root, one to three components deep (/data/home/frank, /gpfs/fs1/home/x, /srv/Users/x):
   * home, homes, home2 or Users followed by a name. A web route (/api/home/feed, /v1/home/{id}) is not one.
   */
  private static final LazyPattern HOME_UNDER_ANY_ROOT = LazyPattern.of(
      PATH_START + "(?:/" + NOT_A_ROUTE_SEGMENT + "){1,3}/(?:home[0-9]*|homes|Users)/[\\p{L}\\p{N}_.][^/\\s]*");
  /**
   * "~bob", "~bob/notes": a user's home named where a word starts. A digit after the '~' is an approximation (~5 min),
   * a second '~' markdown. ("~/x", the current user's home, is in HOME_PATH: like $HOME, it holds personal files.)
   */
  private static final LazyPattern TILDE_USER = LazyPattern.of(PATH_START + "~[A-Za-z_][A-Za-z0-9_.-]{0,31}+(?![A-Za-z0-9_.~-])");
  /**
   * A user's home on a web server or in a path, "/~name" (https://www.uni.example/~jdoe/cv.pdf, http://host/~mary/): a
   * name after "/~", then '/', the end or a character that is not part of a file name (so /~WRL0001.tmp, a temporary
   * file, and C:/PROGRA~1 are not one).
   */
  private static final LazyPattern SLASH_TILDE_USER = LazyPattern.of(
      "/~[A-Za-z_](?:[A-Za-z0-9_-]{0,31}+(?![A-Za-z0-9_.~$-])|[A-Za-z0-9_.-]{0,31}+/)");
  /** Folders of a Windows profile, which name the profile folder before them. */
  static final String PROFILE_FOLDERS = "(?:Desktop|Documents|My Documents|AppData|Application Data|Downloads|Favorites"
      + "|Pictures|Music|Videos|Start Menu|NTUSER\\.DAT|Contacts|Links|Saved Games|Searches)";
  /**
   * A Windows profile outside C:\\Users: a roaming or redirected profile (\\Profiles\\kwong\\, E:\\Profiles\\kwong,
   * X:/Profiles/mlee/), \\Users\\name or \\Documents and Settings\\name without a drive, and /Profiles/name/
   * before a profile folder (Desktop, AppData, …) or as name.V6 (a web route such as /Profiles/Details/5 is not one).
   */
  private static final LazyPattern PROFILE_PATH = LazyPattern.of("(?i:\\\\(?:Profiles\\$?|Users|Documents and Settings)\\\\"
      + "(?:[^\\\\/\\s]{1,64}+[\\\\/]|[^\\\\/\\s.]{1,64}+(?![^\\\\/\\s])))"
      + "|(?i:\\b[A-Za-z]:[\\\\/]+Profiles\\$?[\\\\/]+[^\\\\/\\s])"
      + "|(?i:/Profiles\\$?/(?:[^/\\s]{1,64}+/" + PROFILE_FOLDERS + "(?![^/\\s])|[^/\\s.]{1,64}+\\.V[0-9]{1,2}(?:/|$)))");
  /**
   * A file on a network share named by a URL (smb://fileserver/projects/, cifs://, afp://, nfs://), or file://server/share
   * (a host other than localhost, without a port: file:///etc/hosts and file://localhost/etc/hosts are local files).
   */
  private static final LazyPattern SHARE_URL = LazyPattern.of("(?i)\\b(?:smb|cifs|afp|nfs)://[^/\\s?#]++/++[^/\\s?#]"
      + "|(?i)\\bfile://(?!localhost/)[^/\\s?#:]++/++[^/\\s]");
  /** An option glued to its value ("-I/home/alice", "-IAKIA…"): checked again with a space put in. */
  private static final LazyPattern GLUED_OPTION = LazyPattern.of("((?:^|\\s)--?[A-Za-z])(?=[^\\s=])");
  private static final LazyPattern URL_WITH_CREDENTIALS =
      LazyPattern.of("(?i)\\b[a-z][a-z0-9+.-]*://[^/\\s?#]*@");
  private static final LazyPattern QUERY_PARAMETER = LazyPattern.of("\\?[A-Za-z0-9_.\\[\\]-]+=");
  /** Setting names ending in a password word, with any prefix (password, PGPASSWORD, db.passwd, DB_PASS). */
  static final String PASSWORD_NAME = "(?:password|passwd|pwd|[_.-]pass)";
  /** Setting names ending in another secret word, with any prefix (client_secret, SLACK_TOKEN, AWS_ACCESS_KEY, session_id). */
  static final String SECRET_NAME = "(?:secret|token|api[_-]?key|access[_-]?key|secret[_-]?key|private[_-]?key"
      + "|session[_-]?(?:id|key)|sessid|sid)";
  /** '=' or ':' after a name, quoted as in JSON or not ("db_password": "x", PASSWORD=x, token: x). */
  static final String SETTING_IS = "[\"']?\\s*[=:]\\s*[\"']?";
  /** A password setting with any value, and --password … on a command line; group 1 or 2 is the value. */
  private static final LazyPattern NAMED_PASSWORD = LazyPattern.of(
      "(?i)" + PASSWORD_NAME + SETTING_IS + "([^\\s\"'&;,]+)"
          + "|(?:^|\\s)--?(?:password|passwd|token|secret|api-key|apikey)(?:=|\\s+)(\\S+)");
  /**
   * The word "password" in other languages, with any prefix (Passwort, Kennwort, mot de passe, mot_de_passe, contraseña,
   * senha, wachtwoord, lösenord, salasana, hasło, heslo, jelszó, parola d'ordine, пароль, パスワード, 密码, 비밀번호…);
   * letters other than ASCII are written in both cases, for RE2 as for Java.
   */
  static final String FOREIGN_PASSWORD_NAME = "(?:passwort|kennwort|mot[ _-]?de[ _-]?passe|contrase(?:[ñÑ]|n)a|contrasenya"
      + "|senha|palavra[ _-]?passe|wachtwoord|l(?:[öÖ]|oe?)senord|passord|adgangskode|salasana|has(?:[łŁ]|l)o|heslo|geslo"
      + "|lozinka|jelsz(?:[óÓ]|o)|parola[ _-]?d['’]?ordine|[şŞ]ifre|[пП]арол[ьЬаА]|ПАРОЛЬ|パスワード|密码|密碼|비밀번호)";
  /** '=' or ':' (also the full-width '：') after a name, quoted or not. */
  static final String FOREIGN_SETTING_IS = "[\"']?\\s*[=:\uff1a]\\s*[\"']?";
  /** A password setting in another language; group 1 is its value, which must look like a password (see below). */
  private static final LazyPattern FOREIGN_PASSWORD =
      LazyPattern.of("(?i)" + FOREIGN_PASSWORD_NAME + FOREIGN_SETTING_IS + "([^\\s\"'&;,]++)");
  /** A value that is a route template's or a configuration template's placeholder: {token}, {{token}}, &lt;token&gt;. */
  private static final LazyPattern PLACEHOLDER = LazyPattern.of("\\{\\{?[A-Za-z0-9_.:-]*+\\}\\}?|<[A-Za-z0-9_.:-]*+>");
  /** How the name of an option that takes a password or secret ends (-storepass, --db-password, --api-token). */
  static final String SECRET_OPTION_ENDS = "pass|passwd|password|pwd|passphrase|passin|passout|secret|token|apikey"
      + "|api-key|api_key|accesskey|access-key|access_key|secretkey|secret-key|secret_key";
  /** Words that end in "pass" and name no password (--bypass, --lowpass, ffmpeg's -pass 1 is handled apart). */
  static final String NOT_A_PASS_OPTION = "bypass|compass|surpass|trespass|overpass|underpass|multipass|onepass|twopass"
      + "|firstpass|secondpass|lowpass|highpass|bandpass|allpass";
  /**
   * A command-line option whose name ends in a password or secret word (-storepass, -srcstorepass, -keypass,
   * --db-password, --api-token=…, --client-secret, -passin, --access-key), given a value as the next word or after '='.
   * Group 1 is the name, group 2 the value, which may not start like another option or a redirection (--no-password
   * --verbose, --with-token &lt; file). A name ending in -file, -stdin or -type is not one (--password-file /etc/x).
   */
  private static final LazyPattern SECRET_OPTION = LazyPattern.of("(?i)(?:^|\\s)--?([A-Za-z0-9][A-Za-z0-9_.-]{0,40}+)"
      + "(?<=" + SECRET_OPTION_ENDS + ")"
      + "(?:=|\\s++)[\"']?([^\\s\"'<>|&;-][^\\s\"']*+)");
  /**
   * curl's -u / --user name:password (also -uname:password): group 1 the name, group 2 what follows the ':' (docker's
   * --user 1000:1000 or root:root, a user and a group, is told apart in {@link #hasCliUserPassword}).
   */
  private static final LazyPattern CLI_USER_PASSWORD =
      LazyPattern.of("(?:^|\\s)(?:-u|--user)(?:=|\\s++)[\"']?([^\\s:\"']*+):([^\\s\"']++)");
  /** Another secret setting; its value is checked: a short plain word (token: expired, secret: true) is a status. */
  private static final LazyPattern NAMED_SECRET = LazyPattern.of("(?i)" + SECRET_NAME + SETTING_IS + "([^\\s\"'&;,]+)");
  private static final LazyPattern SHORT_PLAIN_WORD = LazyPattern.of("[A-Za-z][a-z]{0,7}");
  /** mysql's -pS3cret: a password glued to -p; a word option (-pedantic, -pthread) does not mix letter classes. */
  private static final LazyPattern GLUED_PASSWORD = LazyPattern.of("(?:^|\\s)-p([^\\s-]\\S*+)");
  /**
   * A prefixed object id or key (cus_NffrFeUfNV2Hib, whsec_…, acct_…): a lower-case prefix, '_', and 10 or more
   * letters and digits; kept only when random-looking (see {@link #looksRandomMixedCase}).
   */
  private static final LazyPattern PREFIXED_ID =
      LazyPattern.of("(?<![A-Za-z0-9_])[a-z]{2,8}_(?:(?:live|test)_)?([A-Za-z0-9]{10,}+)");
  private static final LazyPattern URL_WITH_QUERY =
      LazyPattern.of("(?i)\\b[a-z][a-z0-9+.-]*://[^\\s]*[?#]");
  private static final LazyPattern AUTH_SCHEME =
      LazyPattern.of("(?i)\\b(?:bearer|basic|token|digest)\\s+([A-Za-z0-9._~+/=-]{8,})");
  private static final String[] SECRET_WORDS = {"pass", "pwd", "secret", "key", "token", "session", "sid"};
  private static final String[] AUTH_WORDS = {"bearer", "basic", "token", "digest"};
  private static final String[] KEY_PREFIXES = {
    "AKIA", "ASIA", "gh", "xox", "xapp-", "sk_", "rk_", "pk_", "sk-", "AIza", "glpat-", "npm_", "ph", "----", "PuTTY-",
    "Private-", "AGE-SECRET-"
  };
  private static final LazyPattern PLAIN_WORD = LazyPattern.of("[A-Z]?[a-z]+");
  private static final LazyPattern JWT =
      LazyPattern.of("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");
  /**
   * Headers of private-key files: PEM and OpenSSH (-----BEGIN … PRIVATE KEY), the SSH2 form of ssh.com (---- BEGIN SSH2
   * ENCRYPTED PRIVATE KEY ----), PuTTY's .ppk (PuTTY-User-Key-File-3:, Private-Lines:, Private-MAC:) and an age secret
   * key (AGE-SECRET-KEY-1…).
   */
  static final String KEY_FILE_HEADERS = "-{4,5} ?BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY|PuTTY-User-Key-File-[0-9]{1,2}:"
      + "|Private-(?:Lines|MAC):|AGE-SECRET-KEY-1[0-9A-Z]{20}";
  private static final LazyPattern KNOWN_KEY_PREFIX =
      LazyPattern.of(
          "\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b|\\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}|\\bgithub_pat_[A-Za-z0-9_]{20,}"
              + "|\\bxox[abprs]-[A-Za-z0-9-]{10,}|\\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}|\\bsk-[A-Za-z0-9_-]{20,}"
              + "|\\bAIza[0-9A-Za-z_-]{30,}|\\bglpat-[A-Za-z0-9_-]{16,}|\\bnpm_[A-Za-z0-9]{30,}"
              + "|\\bph[cx]_[A-Za-z0-9]{30,}|\\bxapp-[A-Za-z0-9-]{10,}"
              + "|" + KEY_FILE_HEADERS);
  // Personal and record ids (PERSONAL_ID). Each shape is anchored where a number starts, so a longer run of digits,
  // a version (17.0.9+9) or a time zone (UTC+2) is not read as one.
  /** An international phone number: '+' and 8 to 15 digits, spaces, dots, dashes or brackets between them. */
  private static final LazyPattern INTERNATIONAL_PHONE =
      LazyPattern.of("(?<![\\p{L}\\p{N}+])\\+[1-9](?:[ .()-]{0,2}[0-9]){7,14}(?![0-9])");
  /** The same with the international call prefix 00 (0044 20 7946 0018). */
  private static final LazyPattern INTERNATIONAL_PHONE_00 =
      LazyPattern.of("(?<![\\p{L}\\p{N}+.,:-])00 ?[1-9](?:[ ()-]{0,2}[0-9]){7,12}(?![0-9])");
  /** A North American number, (202) 555-0178, 202.555.0143, 1-800-555-0199: area code and exchange start with 2-9. */
  private static final LazyPattern NORTH_AMERICAN_PHONE = LazyPattern.of("(?<![\\p{L}\\p{N}.+-])(?:1[ .-])?"
      + "(?:\\([2-9][0-9]{2}\\) ?|[2-9][0-9]{2}[ .-])[2-9][0-9]{2}[ .-][0-9]{4}(?![0-9]|[.-][0-9])");
  /**
   * A national (trunk) number, written without the country code: 0, an area code and a subscriber number (030 901820,
   * 07700 900123, 089/1234567), or 0 and a digit and four pairs (06 12 34 56 78).
   */
  static final String TRUNK_PHONE = "(?:0[1-9][0-9]{1,4}[ /-][0-9]{5,8}|0[1-9](?:[ .-][0-9]{2}){4})";
  private static final LazyPattern NATIONAL_PHONE =
      LazyPattern.of("(?<![\\p{L}\\p{N}.,+/:-])" + TRUNK_PHONE + "(?![0-9]|[ .,/:-][0-9])");
  /** Words that name a phone number. */
  static final String PHONE_LABELS = "(?:tele?phone|phone|tel|mobile|cell|fax|whatsapp|telefon|tel[eé]fono|t[eé]l[eé]phone|handy)";
  /** What may stand between a label and its value: "no", "number", "#", a closing quote, '.', ':', '=' (Passport No.: …). */
  static final String LABEL_TO_VALUE = "(?:[ _.-]?(?:no|nr|num|number|#|id))?[\"']?\\.?\\s*[:=#]?\\s*[\"']?";
  /** A phone number after its label (phone: 020 7946 0958, Tel. 030 901820, mobile=07700900123). */
  private static final LazyPattern LABELLED_PHONE = LazyPattern.of("(?i)(?<![\\p{L}\\p{N}])" + PHONE_LABELS + LABEL_TO_VALUE
      + "\\+?\\(?[0-9](?:[ .()/-]{0,2}[0-9]){6}");
  /** A date as YYMMDD or DDMMYY, the start of many personal numbers. */
  static final String DATE6 = "(?:[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])|(?:0[1-9]|[12][0-9]|3[01])(?:0[1-9]|1[0-2])[0-9]{2})";
  /**
   * National ids whose shape is distinctive: a US social security number (078-05-1120); a Brazilian CPF
   * (123.456.789-09) or CNPJ; a date and a serial, as Nordic, Czech and Korean personal numbers are written
   * (811228-9874, 19811228-9874, 131052-308T, 800101/1234, 800101-1234567); a Belgian national number
   * (85.07.30-033.28); a French social security number in its groups (1 84 12 76 451 089 46); a Swiss AHV number
   * (756.1234.5678.97); a Chilean RUT (12.345.678-5); an Italian codice fiscale (RSSMRA85T10A562S); a Mexican CURP
   * or RFC; a UK National Insurance number (AB123456C, QQ 12 34 56 C); an Indian PAN of a person (ABCPE1234F: P,
   * the fourth letter, is a person's); a Singapore NRIC (S1234567D); a Hong Kong identity card (A123456(7)).
   */
  static final String NATIONAL_ID_SHAPES = "(?:[0-9]{3}-[0-9]{2}-[0-9]{4}|[0-9]{3}\\.[0-9]{3}\\.[0-9]{3}-[0-9]{2}"
      + "|[0-9]{2}\\.[0-9]{3}\\.[0-9]{3}/[0-9]{4}-[0-9]{2}"
      + "|(?:(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])|" + DATE6 + ")(?:[-+A/][0-9]{3}[0-9A-Y]|-[1-8][0-9]{6})"
      + "|[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}-[0-9]{3}\\.[0-9]{2}|[12] ?[0-9]{2} ?[0-9]{2} ?(?:[0-9]{2}|2[AB]) ?[0-9]{3} ?[0-9]{3} ?[0-9]{2}"
      + "|756\\.[0-9]{4}\\.[0-9]{4}\\.[0-9]{2}|[0-9]{1,2}\\.[0-9]{3}\\.[0-9]{3}-[0-9Kk]"
      + "|[A-Za-z]{6}[0-9]{2}[A-Za-z][0-9]{2}[A-Za-z][0-9]{3}[A-Za-z]|[A-Z]{4}[0-9]{6}[HMX][A-Z]{5}[0-9A-Z][0-9]"
      + "|[A-Z]{3,4}" + DATE6 + "[A-Z0-9]{3}"
      + "|[A-Z]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]|[A-Z]{3}P[A-Z][0-9]{4}[A-Z]|[STFGM][0-9]{7}[A-Z]"
      + "|[A-Z]{1,2}[0-9]{6}\\([0-9A]\\))";
  private static final LazyPattern NATIONAL_ID_SHAPE =
      LazyPattern.of("(?<![\\p{L}\\p{N}.,+-])" + NATIONAL_ID_SHAPES + "(?![\\p{L}\\p{N}]|[.-][0-9])");
  /** A Spanish DNI (12345678Z) or NIE (X1234567L); the letter is checked (see {@link #hasSpanishId}). */
  private static final LazyPattern SPANISH_ID = LazyPattern.of("(?<![\\p{L}\\p{N}])([XYZ]?)([0-9]{7,8})-?([A-Z])(?![\\p{L}\\p{N}])");
  /**
   * Labels of ids: national, tax, passport, licence and bank numbers (ssn, passport, tax id, sort code…), and a person's
   * record numbers (mrn; the id, reference or number of a patient, member, employee, student, customer, account, user,
   * client, subscriber, player, person, profile, payer, shopper or buyer), in snake_case, camelCase, kebab-case or upper
   * case (account_id, buyerRef, PLAYERID, "payerId":).
   */
  static final String ID_LABELS = "(?:ssn|sin|nino|bsn|dni|nie|nif|cpf|cnpj|tin|itin|ein|pps|aadhaa?r|passport|personnummer"
      + "|social[ _-]?security|national[ _-]?insurance|(?:id|identity)[ _-]?card|driver'?s?[ _-]?licen[cs]e|sort[ _-]?code|bsb"
      + "|mrn|nhs|medicare|medicaid|(?:tax|national|health|patient|member|employee|student|customer|cust|account|acct|routing"
      + "|insurance|policy|voter|user|client|subscriber|player|person|profile|payer|payee|shopper|buyer|seller|passenger)"
      + "[ _.-]?(?:id|reference|ref|number|num|no|nr|#))";
  /**
   * Labels of identity documents in English and other European languages: passport (Reisepass, passeport, pasaporte,
   * passaporto, paspoort), identity card (Personalausweis, carte d'identité, documento de identidad, carta d'identità,
   * identiteitskaart), driving licence (Führerschein, permis de conduire, licencia de conducir, patente di guida,
   * rijbewijs, DL#, driver's license, licence number).
   */
  static final String DOCUMENT_LABELS = "(?:passport|reisepass|personalausweis|ausweis|f(?:ü|ue|u)hrerschein|passeport"
      + "|permis de conduire|carte (?:nationale )?d['’] ?identit[ée]|pasaporte|licencia de conduc(?:ir|ci[oó]n)"
      + "|carn[eé] de conducir|documento (?:nacional )?de identidad|passaporto|patente di guida|carta d['’] ?identit[àa]"
      + "|paspoort|rijbewijs|identiteitskaart|id[ _-]?kaart|(?:id|identity)[ _-]?card|driver'?s?[ _-]?licen[cs]e"
      + "|driving[ _-]?licen[cs]e|licen[cs]e[ _-]?(?:number|num|no|nr|#)|dl[ _-]?(?:number|num|no|nr|#)|dln)";
  /** What may stand between a document's label and its number (Reisepassnummer, Fuehrerschein-Nr.:, passeport n°). */
  static final String DOCUMENT_TO_VALUE =
      "(?:[ _.-]?(?:nummer|number|numero|número|numéro|num|no|nr|n[°º]|#|id))?[\"']?\\.?\\s*[:=#]?\\s*[\"']?";
  /** A document number after its label: letters, digits, '-' and '/', 5 to 30, 4 digits or more (counted in code). */
  private static final LazyPattern DOCUMENT_ID = LazyPattern.of("(?iu)(?<![\\p{L}\\p{N}])" + DOCUMENT_LABELS + DOCUMENT_TO_VALUE
      + "([A-Za-z0-9][A-Za-z0-9/-]{4,29}+)");
  /** The value of a labelled id: up to two letters and 5 or more digits, or up to three letters, a digit and 4 more. */
  static final String LABELLED_ID_VALUE = "(?:[A-Za-z]{0,2}[ -]?[0-9](?:[ ./-]?[0-9]){4}|[A-Za-z]{0,3}[0-9][A-Za-z0-9]{4})";
  /**
   * An id after its label (SSN 512-44-8123, passport_no=X12345678, BSN 111222333, tax id: 12-3456789, Passport No.
   * C01X00T47): up to two letters, then 5 or more digits, single separators between them allowed; or up to three
   * letters, a digit and 4 or more letters and digits.
   */
  private static final LazyPattern LABELLED_ID = LazyPattern.of("(?i)(?<![\\p{L}\\p{N}])" + ID_LABELS + LABEL_TO_VALUE
      + LABELLED_ID_VALUE);
  /**
   * Labels of a person's record number in other languages: the number of a customer, member, account or contract in
   * French (numéro client, N° de compte, code client), Italian, Spanish and Portuguese (codice cliente, numero di conto,
   * número de socio), Polish (numer klienta), Russian (номер клиента, номер счёта), Japanese (会員番号, 顧客番号), Chinese
   * (客户编号, 账号) and Korean (고객번호). (German, Dutch and Nordic compounds are in {@link #COMPOUND_NUMBER}.)
   */
  static final String FOREIGN_RECORD_LABELS = "(?:(?:num[ée]ro|n[°º])\\s*(?:de\\s+|d['’]\\s*|du\\s+)?(?:client|compte"
      + "|adh[ée]rent|membre|contrat|abonn[ée]|dossier|soci[ée]taire|assur[ée]|patient|s[ée]curit[ée] sociale)"
      + "|(?:code|identifiant)\\s+client"
      + "|(?:codice|numero|n[úu]mero|c[óo]digo)\\s*(?:de\\s+|di\\s+|del\\s+|do\\s+|da\\s+)?(?:cliente|conto|cuenta|conta"
      + "|socio|s[óo]cio|tessera|contratto|contrato|utente|usuario|usu[áa]rio|afiliado|abonado|assinante|paciente"
      + "|asegurado|segurado)"
      + "|numer\\s+(?:klienta|konta|rachunku|umowy|cz[łŁ]onkowski|karty)"
      + "|[нН]омер\\s+(?:клиента|сч[её]та|договора|абонента|участника|карты|пациента)|лицевой\\s+сч[её]т"
      + "|(?:会員|顧客|お客様|口座|契約|社員|患者|利用者)(?:番号|ID|ＩＤ|コード)"
      + "|(?:客户|客戶|会员|會員|用户|用戶|账户|帳戶|账|帳|帐)(?:编号|編號|号码|號碼|号|號|ID)"
      + "|(?:고객|회원|계좌|계약|주민등록)\\s?번호)";
  /** English nouns that name a person's record with a number after them and no "id" or "number" (customer 12345678). */
  static final String RECORD_NOUNS = "(?:customer|member|subscriber|patient|account|acct)";
  /** What may stand between a label and its value, the full-width colon too. */
  static final String FOREIGN_LABEL_TO_VALUE = "[\"']?\\.?\\s*[:=#\uff1a]?\\s*[\"']?";
  /** A record number after its label in another language, or after an English noun and a space, ':', '#' or '='. */
  private static final LazyPattern FOREIGN_LABELLED_ID = LazyPattern.of("(?i)(?<![\\p{L}\\p{N}])(?:" + FOREIGN_RECORD_LABELS
      + "|" + RECORD_NOUNS + "(?=[\\s:#=]))" + FOREIGN_LABEL_TO_VALUE + LABELLED_ID_VALUE);
  /** How compounds that name a number end: Kundennummer, Kunden-Nr., Steuer-IdNr., klantnummer, asiakasnumero, -tunnus. */
  static final String COMPOUND_NUMBER_ENDS = "(?:[ -]?(?:nummer|nr)|-?(?:numero|tunnus))";
  /**
   * A word ending in a number's name, and a value (Kundennummer 12345678, Mitgliedsnummer M-12345678, Steuer-IdNr. 12 345
   * 678 901, Reisepassnummer X1234567); group 1 is the word before the ending, checked against {@link
   * #NOT_A_RECORD_COMPOUND} (Versionsnummer, Fehlernummer, Artikelnummer).
   */
  private static final LazyPattern COMPOUND_NUMBER = LazyPattern.of("(?i)(?<![\\p{L}\\p{N}])(\\p{L}[\\p{L}-]{1,40}?)"
      + COMPOUND_NUMBER_ENDS + FOREIGN_LABEL_TO_VALUE + LABELLED_ID_VALUE);
  /** First parts of compounds that number things, not people (version, build, port, error, page, line, article…). */
  private static final LazyPattern NOT_A_RECORD_COMPOUND = LazyPattern.of("(?i)(?:versions?|versie|versio|build|ports?|fehler"
      + "|errors?|seiten?|zeilen?|spalten?|artikel|artikkeli|produkt|produkts|tuote|modell|models?|teile?|revisions?|release"
      + "|kapitel|schritt|laufs?|versuchs?|index|positions?|haus|serien|serie|sequenz|paket|pakets|folge|typ|pagina|regel"
      + "|fout|sivu|rivi|virhe|sida|rad|fel|vare|linje|side|chargen|los|lot|page|line|item|step|run|batch|job|task|test"
      + "|fall|case|bug|issue)-?");
  /**
   * A national (trunk) number with its area code in parentheses: (020) 7946 0321, (030) 12345678, (02) 9876 5432, (0)20
   * 7946 0321; or two digits in parentheses and 8 or 9 digits, as Brazil writes them: (11) 91234-5678, (21) 3456 7890.
   */
  static final String PARENTHESISED_TRUNK_PHONE = "(?:\\(0[1-9][0-9]{0,4}\\)|\\(0\\) ?[1-9][0-9]{0,4})[ /-]?[0-9](?:[ -]?[0-9]){4,9}"
      + "|\\([1-9][0-9]\\) ?(?:[0-9]{4,5}[ -][0-9]{4}|[0-9]{8,9})";
  private static final LazyPattern PARENTHESISED_PHONE =
      LazyPattern.of("(?<![\\p{L}\\p{N}])(?:" + PARENTHESISED_TRUNK_PHONE + ")(?![0-9])");
  /**
   * A Salesforce record id after an id label (ContactId: 0035g00000Xk3QzAAJ, "OwnerId":"005…"): a 3-character key prefix,
   * 2 of the instance, and a record number that starts with 0000 (as any org's but the largest do), 15 characters, or
   * 18 with the case-safe suffix.
   */
  static final String SALESFORCE_ID = "[0-9A-Za-z]{5}0000[0-9A-Za-z]{6}(?:[A-Z0-5]{3})?";
  private static final LazyPattern LABELLED_SALESFORCE_ID =
      LazyPattern.of("(?i:id)[\"']?\\s*[:=]\\s*[\"']?" + SALESFORCE_ID + "(?![0-9A-Za-z])");
  /** An IBAN's shape, compact or in groups of four: checked with its mod-97 checksum (see {@link #hasIban}). */
  private static final LazyPattern IBAN_SHAPE = LazyPattern.of("(?i)(?<![\\p{L}\\p{N}])[A-Z]{2}[0-9]{2}"
      + "(?:[A-Z0-9]{11,30}+|(?: [A-Z0-9]{4}+){2,7}+(?: [A-Z0-9]{1,3}+)?)(?![\\p{L}\\p{N}])");
  /** 9 or more digits in a row; not a decimal fraction or a version's build number (after '.', ',' or '+'). */
  private static final LazyPattern LONG_NUMBER = LazyPattern.of("(?<![\\p{N}.,+])[0-9]{9,}+(?![.,][0-9])");
  /**
   * Groups of 3 or 4 digits joined by single spaces or dashes, 9 digits or more in all (1234 5678 9012, 046 454 286);
   * not when a shorter or longer group follows (1234-5678-9012-3: a part or build number).
   */
  private static final LazyPattern GROUPED_NUMBER_START =
      LazyPattern.of("(?<![\\p{N}.,+])(?<!\\p{N}[ -])[0-9]{3,4}+[ -][0-9]{3,4}+[ -][0-9]{3,4}+");
  /** 16 or more hex digits (a Mongo ObjectId is 24): an id when it mixes letters and digits; not a file's content hash. */
  private static final LazyPattern HEX_ID = LazyPattern.of("(?i)(?<![\\p{L}\\p{N}])[0-9a-f]{16,}+(?![\\p{L}\\p{N}]|\\.[a-z])");
  private static final LazyPattern SECRET_CANDIDATE = LazyPattern.of("[A-Za-z0-9+/=_-]{24,}");
  private static final LazyPattern HEX_RUN = LazyPattern.of("(?i)(?<![0-9a-f])[0-9a-f]{32,}(?![0-9a-f])");
  private static final LazyPattern DIGIT_RUN = LazyPattern.of("\\d(?:[ ._/+-]{0,3}\\d){12,}");

  private ValueGuards() {}

  /**
   * Returns why {@code value} must not be kept, or {@code null} when no guard objects.
   */
  public static GuardReason check(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    Shape shape = Shape.of(value);
    GuardReason reason = checkAsWritten(value, shape);
    if (reason == null && (shape.percent || value.indexOf('&') >= 0 || value.indexOf('\\') >= 0)) {
      // alice%40example.com, %2Fhome%2Falice, alice%2540example.com (encoded twice), alice&#64;example.com
      String decoded = value;
      for (int round = 0; round < MAX_DECODING_ROUNDS && reason == null; round++) {
        String next = ENCODED_AT.matcher(decoded.indexOf('%') >= 0 ? percentDecoded(decoded) : decoded).replaceAll("@");
        if (next.equals(decoded)) {
          break;
        }
        decoded = next;
        reason = checkAsWritten(decoded, Shape.of(decoded));
      }
    }
    if (reason == null && shape.dashes > 0) {
      String unglued = GLUED_OPTION.matcher(value).replaceAll("$1 ");
      if (!unglued.equals(value)) {
        reason = checkAsWritten(unglued, Shape.of(unglued));
      }
    }
    if (reason == null && shape.nonAscii) {
      // Full-width forms (alice＠example.com) and hidden zero-width characters.
      String plain = ZERO_WIDTH.matcher(Normalizer.normalize(value, Normalizer.Form.NFKC)).replaceAll("");
      reason = checkAsWritten(plain, Shape.of(plain));
    }
    return reason;
  }

  private static GuardReason checkAsWritten(String value, Shape shape) {
    // Cheap character tests first: each pattern runs only when the value holds what it needs,
    // so an ordinary value is cleared without scanning it with every pattern.
    if (shape.at) {
      if (shape.scheme && URL_WITH_CREDENTIALS.matcher(value).find()) {
        return GuardReason.URL_SECRET;
      }
      if (EMAIL.matcher(value).find() || BARE_EMAIL.matcher(value).find()
          || (shape.whitespace && SPACED_EMAIL.matcher(value).find())) {
        return GuardReason.EMAIL;
      }
    }
    if (shape.brackets && shape.containsAnyIgnoringCase(value, AT_WORDS) && BRACKETED_AT_EMAIL.matcher(value).find()) {
      return GuardReason.EMAIL;
    }
    if (shape.whitespace && shape.containsAnyIgnoringCase(value, DOT_WORDS) && SPELLED_EMAIL.matcher(value).find()) {
      return GuardReason.EMAIL;
    }
    if (shape.whitespace && shape.dots > 0 && shape.containsAnyIgnoringCase(value, AT_WORDS) && hasSpelledAtDottedEmail(value)) {
      return GuardReason.EMAIL;
    }
    if (((shape.scheme && URL_WITH_QUERY.matcher(value).find()) || (shape.question && QUERY_PARAMETER.matcher(value).find()))
        && !hasOnlyPlaceholderQueries(value)) {
      return GuardReason.URL_SECRET;
    }
    if (shape.scheme && shape.digits >= 2 && hasIdInUrlPath(value)) {
      return GuardReason.URL_SECRET;
    }
    if (shape.mayHoldHomePath(value) && (HOME_PATH.matcher(value).find() || HOME_UNDER_ANY_ROOT.matcher(value).find()
        || (value.indexOf('~') >= 0 && (TILDE_USER.matcher(value).find() || SLASH_TILDE_USER.matcher(value).find()))
        || PROFILE_PATH.matcher(value).find() || (shape.scheme && SHARE_URL.matcher(value).find())
        || (value.indexOf('\\') >= 0 && WSL_HOME.matcher(value).find())
        || ((value.contains("/dav/") || value.contains("/personal/")) && CLOUD_USER_FOLDER.matcher(value).find()))) {
      return GuardReason.HOME_PATH;
    }
    if (shape.dots >= 3 && shape.digits >= 4 && hasIpv4(value)) {
      return GuardReason.IP_ADDRESS;
    }
    if (shape.colons >= 2 && looksLikeIpv6(value)) {
      return GuardReason.IP_ADDRESS;
    }
    if ((shape.colons >= 5 || shape.dashes >= 5) && MAC.matcher(value).find()) {
      return GuardReason.IP_ADDRESS;
    }
    if (shape.dots >= 2 && value.length() >= 14 && DOTTED_MAC.matcher(value).find()) {
      return GuardReason.IP_ADDRESS;
    }
    if (shape.dashes >= 3 && shape.digits >= 4 && DASHED_IPV4.matcher(value).find()) {
      return GuardReason.IP_ADDRESS;
    }
    if (value.length() >= 15 && shape.digits >= 1 && shape.containsAnyIgnoringCase(value, MAC_WORDS)
        && LABELLED_BARE_MAC.matcher(value).find()) {
      return GuardReason.IP_ADDRESS;
    }
    if (shape.dots >= 2 && value.length() >= 14 && hasHexIpHost(value)) {
      return GuardReason.IP_ADDRESS;
    }
    if ((shape.whitespace && shape.containsAnyIgnoringCase(value, AUTH_WORDS) && hasAuthCredential(value))
        || (shape.containsAnyIgnoringCase(value, SECRET_WORDS) && hasNamedSecret(value))
        || ((shape.colons > 0 || value.indexOf('=') >= 0 || value.indexOf('\uff1a') >= 0) && value.length() >= 6
            && hasForeignPassword(value))
        || (value.length() >= 15 && value.contains("eyJ") && JWT.matcher(value).find())
        || (value.length() >= 15 && containsAny(value, KEY_PREFIXES) && KNOWN_KEY_PREFIX.matcher(value).find())
        || (shape.dashes > 0 && value.contains("-p") && hasGluedPassword(value))
        || (shape.dashes > 0 && shape.containsAnyIgnoringCase(value, SECRET_WORDS) && hasSecretOption(value))
        || (shape.dashes > 0 && shape.colons > 0 && value.contains("-u") && hasCliUserPassword(value))
        || (value.length() >= 13 && value.indexOf('_') >= 0 && hasPrefixedRandomId(value))
        || (shape.dashes >= 4 && value.length() >= 36 && UUID.matcher(value).find())
        || hasRandomHexRun(value)
        || hasHighEntropyRun(value)
        || hasRandomPathSegment(value)) {
      return GuardReason.SECRET_TOKEN;
    }
    if (shape.digits >= 1 && hasPersonalIdShape(value, shape)) {
      return GuardReason.PERSONAL_ID;
    }
    if (shape.digits >= 13 && hasCardLikeRun(value)) {
      return GuardReason.CARD_NUMBER;
    }
    if (shape.digits >= 2 && hasRecordId(value, shape)) {
      return GuardReason.PERSONAL_ID;
    }
    return null;
  }

  /** Words before a dash that name an address, not a program: ip-10.0.0.5 and host-192.168.1.10 are addresses. */
  static final String ADDRESS_WORDS = "ip|ips|ipv4|addr|address|host|node|server|srv|peer|client|src|dst|gw|gateway|from"
      + "|to|via|proxy|lb|vm|nat|wan|lan";
  private static final LazyPattern ADDRESS_WORD = LazyPattern.of("(?i)" + ADDRESS_WORDS);

  /**
   * An IPv4 address that is not four parts of a version: one followed by a dash and a letter
   * (5.10.102.1-microsoft-standard-WSL2) or after a word and a dash (jdk-17.0.8.1, openjdk-11.0.21.9) is a version, unless
   * that word names an address (ip-, host-, node-…).
   */
  private static boolean hasIpv4(String value) {
    Matcher m = IPV4.matcher(value);
    while (m.find()) {
      int start = m.start();
      int end = m.end();
      if (end + 1 < value.length() && value.charAt(end) == '-' && isAsciiLetter(value.charAt(end + 1))) {
        continue;
      }
      if (start >= 1 && (isAsciiLetter(value.charAt(start - 1)) || isAsciiDigit(value.charAt(start - 1)))) {
        // glued to a word (v1.2.3.4, 0ubuntu0.22.04.1): a version, unless the word names an address (ip10.0.0.5)
        int wordStart = start;
        while (wordStart > 0 && (isAsciiLetter(value.charAt(wordStart - 1)) || isAsciiDigit(value.charAt(wordStart - 1)))) {
          wordStart--;
        }
        if (!ADDRESS_WORD.matcher(value.substring(wordStart, start)).matches()) {
          continue;
        }
      }
      if (afterVersionWord(value, start)) {
        continue;
      }
      if (start >= 2 && value.charAt(start - 1) == '-' && isAsciiLetter(value.charAt(start - 2))) {
        int wordStart = start - 2;
        while (wordStart > 0 && isAsciiLetter(value.charAt(wordStart - 1))) {
          wordStart--;
        }
        if (!ADDRESS_WORD.matcher(value.substring(wordStart, start - 1)).matches()) {
          continue;
        }
      }
      return true;
    }
    return false;
  }

  /**
   * Words after which four numbers are a version (Zulu 17.0.12.0, IBM Semeru Runtime 17.0.12.0, (build 10.0.1.2),
   * version: 4.1.0.2): products and runtimes that number their releases in four parts.
   */
  static final String VERSION_WORDS = "version|ver|v|release|build|runtime|jdk|jre|java|openjdk|zulu|semeru|temurin|corretto"
      + "|liberica|graalvm|dragonwell|windows|kernel|firmware|bios|chrome|chromium|firefox|safari|python|dotnet|android|ios"
      + "|macos|update|patch|revision|rev";
  private static final LazyPattern VERSION_WORD = LazyPattern.of("(?i)" + VERSION_WORDS);

  /** The word before value[start], across spaces, '(', ':' or '=', is a {@link #VERSION_WORDS} word. */
  private static boolean afterVersionWord(String value, int start) {
    int end = start;
    while (end > 0 && " (:=".indexOf(value.charAt(end - 1)) >= 0 && start - end < 4) {
      end--;
    }
    if (end == start) {
      return false;
    }
    int wordStart = end;
    while (wordStart > 0 && isAsciiLetter(value.charAt(wordStart - 1)) && end - wordStart < 12) {
      wordStart--;
    }
    return wordStart < end && (wordStart == 0 || !isAsciiLetter(value.charAt(wordStart - 1)))
        && VERSION_WORD.matcher(value.substring(wordStart, end)).matches();
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** A query parameter whose value is a placeholder of a route template: {query}, {{query}}, &lt;query&gt;. */
  private static final LazyPattern PLACEHOLDER_PARAMETER =
      LazyPattern.of("[A-Za-z0-9_.\\[\\]-]++=(?:\\{\\{?[A-Za-z0-9_.:-]*+\\}\\}?|<[A-Za-z0-9_.:-]*+>)");

  /**
   * A route template, not data: every '?' in the value starts a query whose parameters all hold placeholders
   * (/search?q={query}&page={page}), and no URL has a fragment. /search?q=alice holds data.
   */
  private static boolean hasOnlyPlaceholderQueries(String value) {
    if (value.indexOf('#') >= 0) {
      return false;
    }
    int question = value.indexOf('?');
    while (question >= 0) {
      int end = question + 1;
      while (end < value.length() && !Character.isWhitespace(value.charAt(end))) {
        end++;
      }
      for (String parameter : value.substring(question + 1, end).split("&", -1)) {
        if (!PLACEHOLDER_PARAMETER.matcher(parameter).matches()) {
          return false;
        }
      }
      question = value.indexOf('?', end);
    }
    return true;
  }

  /** Phone numbers, national ids and IBANs: shapes specific enough to be checked before card numbers. */
  private static boolean hasPersonalIdShape(String value, Shape shape) {
    return (shape.digits >= 8 && (INTERNATIONAL_PHONE.matcher(value).find() || INTERNATIONAL_PHONE_00.matcher(value).find()))
        || (shape.digits >= 10 && NORTH_AMERICAN_PHONE.matcher(value).find())
        || (shape.digits >= 8 && NATIONAL_PHONE.matcher(value).find())
        || (shape.digits >= 7 && LABELLED_PHONE.matcher(value).find())
        || (shape.digits >= 4 && NATIONAL_ID_SHAPE.matcher(value).find())
        || (shape.digits >= 7 && hasSpanishId(value))
        // Its value part holds an ASCII digit: a value without one is spared the pattern (and its compiling).
        || (shape.digits >= 1 && LABELLED_ID.matcher(value).find())
        || (shape.digits >= 5 && (shape.nonAscii || shape.containsAnyIgnoringCase(value, RECORD_WORDS))
            && FOREIGN_LABELLED_ID.matcher(value).find())
        || (shape.digits >= 5 && shape.containsAnyIgnoringCase(value, NUMBER_WORDS) && hasCompoundNumber(value))
        || (shape.digits >= 5 && shape.brackets && PARENTHESISED_PHONE.matcher(value).find())
        || (shape.digits >= 4 && value.length() >= 18 && shape.containsAnyIgnoringCase(value, ID_WORDS)
            && LABELLED_SALESFORCE_ID.matcher(value).find())
        || (shape.digits >= 4 && hasDocumentId(value))
        || (shape.digits >= 4 && value.length() >= 15 && hasIban(value));
  }

  private static final String[] MAC_WORDS = {"mac", "addr", "ether", "bssid"};
  private static final String[] RECORD_WORDS = {"num", "n°", "nº", "cod", "client", "customer", "member", "subscriber",
    "patient", "account", "acct"};
  private static final String[] NUMBER_WORDS = {"nummer", "nr", "numero", "tunnus"};
  private static final String[] ID_WORDS = {"id"};

  /** Kundennummer 12345678, klantnummer 123456: a compound ending in a number's name, unless it numbers things. */
  private static boolean hasCompoundNumber(String value) {
    Matcher m = COMPOUND_NUMBER.matcher(value);
    while (m.find()) {
      if (!NOT_A_RECORD_COMPOUND.matcher(m.group(1)).matches()) {
        return true;
      }
    }
    return false;
  }

  /**
   * An ISP's host name for a customer's address written in hex (p5b0c3a1e.dip0.t-ipconnect.de, host-5B0C3A1E.example.net,
   * d5b0c3a1e.access.example.net): a first label of a word or letter and 8 hex digits, three labels or more, the digits
   * a public unicast IPv4 address, and a word of dynamic ISP hosts (dip, dyn, pool, dsl, cable, customer, access,
   * host…) as the word before the digits or as a label other than the last. A CDN's or a container's name
   * (a1b2c3d4.cloudfront.net) has no such word.
   */
  private static boolean hasHexIpHost(String value) {
    Matcher m = HEX_IP_HOST.matcher(value);
    while (m.find()) {
      long address = Long.parseLong(m.group(2), 16);
      if (!isPublicUnicast((int) (address >>> 24), (int) (address >>> 16) & 0xff)) {
        continue;
      }
      String word = m.group(1).endsWith("-") ? m.group(1).substring(0, m.group(1).length() - 1) : m.group(1);
      if (!word.isEmpty() && ISP_HOST_LABEL.matcher(word).matches()) {
        return true;
      }
      String[] labels = m.group(3).substring(1).split("\\.");
      for (int i = 0; i < labels.length - 1; i++) {
        if (ISP_HOST_LABEL.matcher(labels[i]).matches()) {
          return true;
        }
      }
    }
    return false;
  }

  /** Not 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.168/16, nor multicast or reserved (224 and above). */
  private static boolean isPublicUnicast(int first, int second) {
    return first != 0 && first != 10 && first != 127 && first < 224 && !(first == 100 && second >= 64 && second < 128)
        && !(first == 169 && second == 254) && !(first == 172 && second >= 16 && second < 32)
        && !(first == 192 && second == 168);
  }

  /** Passport, identity card or driving licence number after its label: 4 digits or more (Führerschein B072RRE2I55). */
  private static boolean hasDocumentId(String value) {
    Matcher m = DOCUMENT_ID.matcher(value);
    while (m.find()) {
      if (countDigits(m.group(1)) >= 4) {
        return true;
      }
    }
    return false;
  }

  /** Long numbers and hex ids, checked after card numbers so that a card is named as one. */
  private static boolean hasRecordId(String value, Shape shape) {
    if (shape.digits >= 9 && (hasLongNumber(value) || hasGroupedNumber(value))) {
      return true;
    }
    if (value.length() >= 16) {
      Matcher m = HEX_ID.matcher(value);
      while (m.find()) {
        int digits = countDigits(m.group());
        if (digits >= 2 && m.group().length() - digits >= 2) {
          return true;
        }
      }
    }
    return false;
  }

  /** 9 or more digits in a row, unless they read as a compact ISO 8601 date-time (202405011230, 20240501123000). */
  private static boolean hasLongNumber(String value) {
    Matcher m = LONG_NUMBER.matcher(value);
    while (m.find()) {
      if (!isCompactDateTime(m.group())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Three groups of 3 or 4 digits, then as many more as follow; what comes after the last may not be a digit, nor a
   * space, dot or dash and a digit. (A loop, not a repeated group: a pattern would recurse once per group.)
   */
  private static boolean hasGroupedNumber(String value) {
    Matcher m = GROUPED_NUMBER_START.matcher(value);
    while (m.find()) {
      int end = m.end();
      while (true) {
        int digits = 0;
        while (end + 1 + digits < value.length() && digits < 5 && isAsciiDigit(value.charAt(end + 1 + digits))) {
          digits++;
        }
        if (end < value.length() && (value.charAt(end) == ' ' || value.charAt(end) == '-') && (digits == 3 || digits == 4)) {
          end += 1 + digits;
        } else {
          break;
        }
      }
      boolean digitFollows = end < value.length() && Character.isDigit(value.charAt(end));
      boolean groupFollows = end + 1 < value.length() && " .-".indexOf(value.charAt(end)) >= 0 && isAsciiDigit(value.charAt(end + 1));
      if (!digitFollows && !groupFollows) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** yyyyMMddHHmm or yyyyMMddHHmmss, years 1900 to 2099. */
  static boolean isCompactDateTime(String digits) {
    if ((digits.length() != 12 && digits.length() != 14) || countDigits(digits) != digits.length()) {
      return false;
    }
    int year = Integer.parseInt(digits.substring(0, 4));
    int month = Integer.parseInt(digits.substring(4, 6));
    int day = Integer.parseInt(digits.substring(6, 8));
    int hour = Integer.parseInt(digits.substring(8, 10));
    int minute = Integer.parseInt(digits.substring(10, 12));
    int second = digits.length() == 14 ? Integer.parseInt(digits.substring(12, 14)) : 0;
    return year >= 1900 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59
        && second <= 59;
  }

  private static final String DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";

  /** A DNI (8 digits) or NIE (X, Y or Z and 7 digits) whose letter is the number modulo 23. */
  private static boolean hasSpanishId(String value) {
    Matcher m = SPANISH_ID.matcher(value);
    while (m.find()) {
      String prefix = m.group(1);
      if (prefix.isEmpty() != (m.group(2).length() == 8)) {
        continue;
      }
      int number = Integer.parseInt((prefix.isEmpty() ? "" : String.valueOf("XYZ".indexOf(prefix.charAt(0)))) + m.group(2));
      if (DNI_LETTERS.charAt(number % 23) == m.group(3).charAt(0)) {
        return true;
      }
    }
    return false;
  }

  /**
   * An IBAN: two letters, two check digits and 11 to 30 letters or digits, compact or in groups of four, whose mod-97
   * checksum holds (any case). In groups, it may end at any group: each end is tried.
   */
  private static boolean hasIban(String value) {
    Matcher m = IBAN_SHAPE.matcher(value);
    while (m.find()) {
      String run = m.group();
      int remainder = 0;
      int length = 0;
      for (int i = 4; i < run.length(); i++) {
        char c = run.charAt(i);
        if (c == ' ') {
          continue;
        }
        remainder = mod97(remainder, c);
        length++;
        boolean groupEnds = i + 1 == run.length() || run.charAt(i + 1) == ' ';
        if (groupEnds && length + 4 >= 15 && length + 4 <= 34) {
          int check = remainder;
          for (int j = 0; j < 4; j++) {
            check = mod97(check, run.charAt(j));
          }
          if (check == 1) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Appends one IBAN character (a digit, or a letter as 10 to 35) to a remainder modulo 97. */
  private static int mod97(int remainder, char c) {
    int v = Character.digit(c, 36);
    return v < 10 ? (remainder * 10 + v) % 97 : (remainder * 100 + v) % 97;
  }

  private static final int MAX_DECODING_ROUNDS = 4;
  private static final String[] AT_WORDS = {"at"};
  private static final String[] DOT_WORDS = {"dot"};
  private static final LazyPattern ZERO_WIDTH = LazyPattern.of("[\\u00AD\\u200B-\\u200F\\u2060-\\u2064\\uFEFF]");

  /** Decodes %XX escapes (UTF-8); leaves anything malformed as it is. */
  static String percentDecoded(String value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      int hi = i + 2 < value.length() && c == '%' ? Character.digit(value.charAt(i + 1), 16) : -1;
      int lo = hi >= 0 ? Character.digit(value.charAt(i + 2), 16) : -1;
      if (lo >= 0) {
        bytes.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(raw, 0, raw.length);
      }
    }
    return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
  }

  private static boolean containsAny(String value, String[] needles) {
    for (String needle : needles) {
      if (value.contains(needle)) {
        return true;
      }
    }
    return false;
  }


  /** Counts of the characters the patterns depend on, gathered in one pass. */
  private static final class Shape {
    boolean at;
    boolean scheme;
    boolean whitespace;
    boolean pathish;
    boolean percent;
    boolean question;
    boolean nonAscii;
    boolean brackets;
    int dashes;
    int dots;
    int colons;
    int digits;

    static Shape of(String value) {
      Shape s = new Shape();
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c >= '0' && c <= '9') {
          s.digits++;
        } else if (c == '.') {
          s.dots++;
        } else if (c == ':') {
          s.colons++;
        } else if (c == '@') {
          s.at = true;
        } else if (c == '/' || c == '\\' || c == '~' || c == '%' || c == '$') {
          s.pathish = true;
          s.percent |= c == '%';
        } else if (c == '-') {
          s.dashes++;
        } else if (c == '?') {
          s.question = true;
        } else if (Character.isWhitespace(c)) {
          s.whitespace = true;
        } else if (c == '(' || c == '[' || c == '{' || c == '<') {
          s.brackets = true;
        } else if (c > 0x7e) {
          s.nonAscii = true;
        }
      }
      s.scheme = s.colons > 0 && value.contains("://");
      return s;
    }

    /** {@code value} with each character case-folded as {@code regionMatches(true, ...)} compares it; made once, when first asked. */
    private String folded;

    /**
     * Whether {@code value} (the value this shape was taken of) holds one of the lower-case
     * {@code needles}, ignoring case: one folded copy and a plain search per needle, instead of a
     * case-insensitive comparison at every position for every needle.
     */
    boolean containsAnyIgnoringCase(String value, String[] needles) {
      if (folded == null) {
        char[] chars = new char[value.length()];
        for (int i = 0; i < chars.length; i++) {
          chars[i] = Character.toLowerCase(Character.toUpperCase(value.charAt(i)));
        }
        folded = new String(chars);
      }
      for (String needle : needles) {
        if (folded.indexOf(needle) >= 0) {
          return true;
        }
      }
      return false;
    }

    boolean mayHoldHomePath(String value) {
      return pathish
          && (value.contains("/home") || value.contains("rofiles") || value.contains("/users/") || value.contains("/user/") || value.contains("/Users/") || value.contains("/root")
              || value.contains("/var/") || value.contains("/run/user/") || value.indexOf('~') >= 0
              || value.indexOf('%') >= 0 || value.contains("$HOME") || value.indexOf('\\') >= 0
              || value.contains("/dav/") || value.contains("/personal/")
              || (colons > 0 && (value.contains(":/") || value.contains(":\\"))));
    }
  }

  /** Returns why a numeric value must not be kept (a card-like number), or {@code null}. */
  public static GuardReason check(long value) {
    long abs = value == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(value);
    return abs >= 1_000_000_000_000L ? GuardReason.CARD_NUMBER : null;
  }

  /**
   * Returns why a floating-point value must not be kept, or {@code null}: a whole number of 13
   * or more digits (a card number or an epoch-millisecond time written as a double).
   */
  public static GuardReason check(double value) {
    double abs = Math.abs(value);
    return abs >= 1e12 && !Double.isInfinite(abs) && abs == Math.rint(abs) ? GuardReason.CARD_NUMBER : null;
  }

  /**
   * "maria.lopez at correo.es": a local part that looks like an address (see {@link #ADDRESS_LIKE_LOCAL}; not a file
   * name), and a domain written in one case.
   */
  private static boolean hasSpelledAtDottedEmail(String value) {
    Matcher m = SPELLED_AT_DOTTED_EMAIL.matcher(value);
    while (m.find()) {
      String local = m.group(1);
      String domain = m.group(2);
      boolean oneCase = domain.equals(domain.toLowerCase(Locale.ROOT)) || domain.equals(domain.toUpperCase(Locale.ROOT));
      if (oneCase && ADDRESS_LIKE_LOCAL.matcher(local).matches() && !FILE_EXTENSION_END.matcher(local).matches()) {
        return true;
      }
    }
    return false;
  }

  /** "Bearer x7Gq…", "Basic dXNlcjpw…": a scheme word followed by something that is not a plain word. */
  private static boolean hasAuthCredential(String value) {
    Matcher m = AUTH_SCHEME.matcher(value);
    while (m.find()) {
      if (!PLAIN_WORD.matcher(m.group(1)).matches()) {
        return true;
      }
    }
    return false;
  }

  /**
   * password=…, DB_PASS=…; or a token, secret or key setting whose value is not a short plain word. A value that is only a
   * placeholder ({@code /reset-password?token={token}}, {@code password=<password>}) is a template, not a secret.
   */
  private static boolean hasNamedSecret(String value) {
    Matcher p = NAMED_PASSWORD.matcher(value);
    while (p.find()) {
      if (!PLACEHOLDER.matcher(p.group(1) != null ? p.group(1) : p.group(2)).matches()) {
        return true;
      }
    }
    Matcher m = NAMED_SECRET.matcher(value);
    while (m.find()) {
      if (!SHORT_PLAIN_WORD.matcher(m.group(1)).matches() && !PLACEHOLDER.matcher(m.group(1)).matches()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Passwort: Geheim123, mot_de_passe=azerty12, пароль: qwerty123: a password setting in another language whose value
   * looks like a password: 4 characters or more with a digit or a symbol (not '.', '?', '!', ':' or ')', which end
   * sentences), or a lower-case letter followed later by a capital. "Passwort: vergessen", "mot de passe : oublié" are
   * words about a password.
   */
  private static boolean hasForeignPassword(String value) {
    Matcher m = FOREIGN_PASSWORD.matcher(value);
    while (m.find()) {
      if (looksLikePassword(m.group(1))) {
        return true;
      }
    }
    return false;
  }

  static boolean looksLikePassword(String run) {
    boolean lower = false;
    for (int i = 0; i < run.length(); i++) {
      char c = run.charAt(i);
      if (Character.isUpperCase(c) && lower) {
        return true;
      }
      lower |= Character.isLowerCase(c);
      if (run.length() >= 4 && (Character.isDigit(c) || (!Character.isLetterOrDigit(c) && ".?!:)".indexOf(c) < 0))) {
        return true;
      }
    }
    return false;
  }

  private static final LazyPattern NOT_A_PASS_OPTION_NAME = LazyPattern.of("(?i)(?:.*[_.-])?(?:" + NOT_A_PASS_OPTION + ")");
  private static final LazyPattern SMALL_NUMBER = LazyPattern.of("[0-9]{1,2}");

  /**
   * -storepass changeit, --db-password x, --api-token=x: an option named for a secret and its value; not a word that
   * only ends in "pass" (--bypass), nor ffmpeg's pass number (-pass 1).
   */
  private static boolean hasSecretOption(String value) {
    Matcher m = SECRET_OPTION.matcher(value);
    while (m.find()) {
      String name = m.group(1);
      if (NOT_A_PASS_OPTION_NAME.matcher(name).matches()
          || (name.equalsIgnoreCase("pass") && SMALL_NUMBER.matcher(m.group(2)).matches())) {
        continue;
      }
      return true;
    }
    return false;
  }

  /**
   * curl -u name:password: a ':' and something after it, unless it reads as docker's user and group (--user 1000:1000,
   * --user app:1000, --user root:root).
   */
  private static boolean hasCliUserPassword(String value) {
    Matcher m = CLI_USER_PASSWORD.matcher(value);
    while (m.find()) {
      String user = m.group(1);
      String after = m.group(2);
      if (after.equals(user) || countDigits(after) == after.length()) {
        continue;
      }
      return true;
    }
    return false;
  }

  /** -pS3cret: the value glued to -p mixes letters and digits, or both cases. */
  private static boolean hasGluedPassword(String value) {
    Matcher m = GLUED_PASSWORD.matcher(value);
    while (m.find()) {
      String run = m.group(1);
      if (mixesLettersAndDigits(run) || (hasUpperCase(run) && hasLowerCase(run))) {
        return true;
      }
    }
    return false;
  }

  /** cus_NffrFeUfNV2Hib, cst_Q4hv7TzmK2: a prefix and a random-looking run (not ff_enableDarkModeV2). */
  private static boolean hasPrefixedRandomId(String value) {
    Matcher m = PREFIXED_ID.matcher(value);
    while (m.find()) {
      if (looksRandomIdTail(m.group(1))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The random part of a prefixed id. With both cases: 60% or more of it is not made of words, read as camelCase
   * (random base-62 runs of 10 to 14 characters that hold all three classes are taken about 98 times in 100; names such
   * as enableDarkModeV2, S3BucketArn or shouldReturn404WhenMissing are words). In one case with digits (a8kd92lqzx,
   * 9F3K2L8Q1Z): three letters and three digits at least, switching between them three times or more (not ubuntu2204lts).
   */
  static boolean looksRandomIdTail(String run) {
    if (hasUpperCase(run) && hasLowerCase(run)) {
      return nonWordShare(run) >= 0.6;
    }
    int digits = countDigits(run);
    return digits >= 3 && run.length() - digits >= 3 && letterDigitSwitches(run) >= 3;
  }

  /** Letter pairs common in English words and in the words of code (sql, xml, http): a word is made of them. */
  private static final String COMMON_LETTER_PAIRS =
      "ab ac ad af ag ai aj ak al am an ap ar as at au av aw ax ay ba bb be bi bj bl bo br bs bu by ca cc "
      + "ce ch ci ck cl co cp cr cs ct cu cy da dd de dg di dj dl dm dn do dp dr ds du dv dy ea eb ec ed ee "
      + "ef eg ei ej ek el em en eo ep eq er es et ev ew ex ey fa fe ff fi fl fo fr ft fu fy ga gc ge gg gh "
      + "gi gl gn go gr gs gt gu gy ha he hi ho hr ht hu ia ib ic id ie if ig il im in io ip ir is it iv ix "
      + "iz ji jo js ju ka ke ki kn ko ks ky la lc ld le lf lg li lk ll lm lo lp ls lt lu lv lw ly ma mb me "
      + "mi ml mm mn mo mp ms mu my na nc nd ne nf ng ni nj nk nl nn no np ns nt nu nv ny oa ob oc od of og "
      + "oi oj ok ol om on oo op or os ot ou ov ow ox oy pa pd pe ph pi pl pm po pp pr ps pt pu py ql qu ra "
      + "rb rc rd re rf rg ri rk rl rm rn ro rp rr rs rt ru rv rw ry sa sc se sf sh si sk sl sm sn so sp sq "
      + "ss st su sw sy ta tc te tf th ti tl tm to tp tr ts tt tu tw ty ua ub uc ud ue uf ug ui ul um un uo "
      + "up ur us ut uu ux va ve vi vo vy wa we wh wi wn wo wr ws xa xi xm xp xt xy ya ye yi yl yn yo yp ys "
      + "yt za ze zi zo zy";
  /** Two-letter words of camelCase names (getByIdOrNull). */
  private static final String[] SHORT_WORDS = {"by", "id", "or", "of", "to", "in", "on", "at", "is", "if", "do", "up", "no",
    "my", "ok", "io", "ui", "db", "os", "as", "be", "go", "it", "me", "we", "us", "an", "so"};
  private static final boolean[] COMMON_PAIR = new boolean[26 * 26];

  static {
    for (String pair : COMMON_LETTER_PAIRS.split(" ")) {
      COMMON_PAIR[(pair.charAt(0) - 'a') * 26 + pair.charAt(1) - 'a'] = true;
    }
  }

  /**
   * The share of a camelCase run not made of words. The run is read as words (a lower-case run, a capital before it),
   * upper-case runs and digit runs; a word is a known two-letter word, or three letters or more with a vowel whose letter
   * pairs are all common (one uncommon pair allowed from five pairs on). Everything else counts against it.
   */
  static double nonWordShare(String run) {
    int n = run.length();
    int inWords = 0;
    int i = 0;
    while (i < n) {
      char c = run.charAt(i);
      int j = i + 1;
      if (isAsciiDigit(c)) {
        while (j < n && isAsciiDigit(run.charAt(j))) {
          j++;
        }
      } else if (c >= 'A' && c <= 'Z') {
        while (j < n && run.charAt(j) >= 'A' && run.charAt(j) <= 'Z') {
          j++;
        }
        if (j < n && run.charAt(j) >= 'a' && run.charAt(j) <= 'z') {
          j--; // the last capital starts a word: HTTPServer is HTTP and Server
          if (j == i) {
            j = i + 1;
            while (j < n && run.charAt(j) >= 'a' && run.charAt(j) <= 'z') {
              j++;
            }
            inWords += isWord(run, i, j) ? j - i : 0;
          }
        }
      } else if (c >= 'a' && c <= 'z') {
        while (j < n && run.charAt(j) >= 'a' && run.charAt(j) <= 'z') {
          j++;
        }
        inWords += isWord(run, i, j) ? j - i : 0;
      }
      i = j;
    }
    return n == 0 ? 0 : 1 - inWords / (double) n;
  }

  /** run[start, end): a capital or lower-case letter, then lower-case letters. */
  private static boolean isWord(String run, int start, int end) {
    int length = end - start;
    if (length == 2) {
      String word = run.substring(start, end).toLowerCase(Locale.ROOT);
      for (String shortWord : SHORT_WORDS) {
        if (shortWord.equals(word)) {
          return true;
        }
      }
      return false;
    }
    if (length < 3) {
      return false;
    }
    return uncommonPairs(run, start, end) <= (length - 1 >= 5 ? 1 : 0);
  }

  /**
   * How many letter pairs of run[start, end) (a capital or lower-case letter, then lower-case letters) are uncommon in
   * words; a run without a vowel counts as all uncommon.
   */
  private static int uncommonPairs(String run, int start, int end) {
    int uncommon = 0;
    boolean vowel = false;
    for (int k = start; k < end; k++) {
      char c = Character.toLowerCase(run.charAt(k));
      vowel |= "aeiouy".indexOf(c) >= 0;
      if (k + 1 < end) {
        uncommon += COMMON_PAIR[(c - 'a') * 26 + run.charAt(k + 1) - 'a'] ? 0 : 1;
      }
    }
    return vowel ? uncommon : end - start;
  }

  /** 32+ hex digits (keys, digests, trace ids), unless the run is too regular to be random. */
  private static boolean hasRandomHexRun(String value) {
    if (value.length() < 32) {
      return false;
    }
    Matcher m = HEX_RUN.matcher(value);
    while (m.find()) {
      if (shannonEntropy(m.group().toLowerCase(Locale.ROOT)) >= 2.5) {
        return true;
      }
    }
    return false;
  }

  private static boolean looksLikeIpv6(String value) {
    Matcher m = IPV6_CANDIDATE.matcher(value);
    while (m.find()) {
      String candidate = m.group();
      int colons = 0;
      int hexDigits = 0;
      for (int i = 0; i < candidate.length(); i++) {
        char c = candidate.charAt(i);
        if (c == ':') {
          colons++;
        } else {
          hexDigits++;
        }
      }
      boolean compressed = candidate.contains("::");
      if ((compressed && (hexDigits > 0 || candidate.equals("::"))) || colons == 7) {
        return true;
      }
    }
    return false;
  }

  /**
   * A run of 13 to 19 digits (spaces, dots, dashes, slashes or plus signs between them allowed)
   * that passes the Luhn check card numbers carry, anywhere in a longer run too; a run that is a compact ISO date-time
   * (20240501120000) is not one.
   */
  private static boolean hasCardLikeRun(String value) {
    Matcher m = DIGIT_RUN.matcher(value);
    while (m.find()) {
      String run = m.group();
      if (isCompactDateTime(run)) {
        continue; // 20240501120000: a time, and no card is 12 or 14 digits starting 19 or 20
      }
      StringBuilder digits = new StringBuilder(run.length());
      for (int i = 0; i < run.length(); i++) {
        if (Character.isDigit(run.charAt(i))) {
          digits.append(run.charAt(i));
        }
      }
      for (int length = 13; length <= 19; length++) {
        for (int start = 0; start + length <= digits.length(); start++) {
          if (passesLuhn(digits, start, length)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean passesLuhn(CharSequence digits, int start, int length) {
    int sum = 0;
    for (int i = 0; i < length; i++) {
      int d = digits.charAt(start + length - 1 - i) - '0';
      if (i % 2 == 1) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
    }
    return sum % 10 == 0;
  }

  /**
   * A run of 24+ token characters with a dash- or underscore-free part of 20+ characters that
   * mixes letters and digits, with a Shannon entropy of at least 3.7 bits a character and frequent
   * changes of character class: random API keys and
   * secrets, not words, CamelCase class names or versions. (Random base-62 keys of that
   * length hold a digit with 98% probability.)
   */
  private static boolean hasHighEntropyRun(String value) {
    if (value.length() < 24) {
      return false;
    }
    Matcher m = SECRET_CANDIDATE.matcher(value);
    while (m.find()) {
      // Lower-case runs are judged per dash-, underscore- or slash-separated segment: generated DNS-style
      // names such as Kubernetes pods (checkout-7d4b9c8f6-x2k9p) are short random parts, and a URL path
      // (/blog/2024/05/01/release-notes) is words and numbers. Mixed-case runs (base64 keys, which use
      // '-', '_', '/' and '+' as letters) are judged whole.
      String run = m.group();
      String[] parts = hasUpperCase(run) && !isWordsAndNumbers(run) ? new String[] {run} : run.split("[-_/+]");
      for (String segment : parts) {
        if (segment.length() >= (parts.length == 1 ? 24 : 20) && mixesLettersAndDigits(segment) && shannonEntropy(segment) >= 3.7
            && classChangeRatio(segment) >= 0.35) {
          return true;
        }
      }
    }
    return false;
  }

  private static final LazyPattern SEPARATED_WORD = LazyPattern.of("(?<![^-_/+])[A-Z]?[a-z]{3,}+(?![^-_/+])");

  /**
   * A mixed-case run that two whole words or more split into parts (17.0.9+9-post-Debian-1deb12u1,
   * /Library/Java/JavaVirtualMachines/zulu-17): a version or a path, judged part by part. A word here is a part of four
   * letters or more with a vowel and at most one uncommon letter pair (Java, zulu; not dckr in dckr_pat_…). A random
   * base64 key's parts between its '+', '/', '-' and '_' are seldom a word each.
   */
  private static boolean isWordsAndNumbers(String run) {
    Matcher m = SEPARATED_WORD.matcher(run);
    int words = 0;
    while (m.find() && words < 2) {
      words += m.end() - m.start() >= 4 && uncommonPairs(run, m.start(), m.end()) <= 1 ? 1 : 0;
    }
    return words >= 2;
  }

  /**
   * A URL path segment of 10 or more token characters that looks random ({@code /reset/8f3kQ9zLp2Vx7Rt}):
   * it mixes letters and digits, changes character class often and has an entropy of 3 bits a
   * character or more; judged as {@link #hasHighEntropyRun} judges runs (lower-case runs per dash- or
   * underscore-separated part). A segment followed by a file extension ({@code index-BxT3k9Qp.js},
   * a content hash) is a file name and is left alone. Each character is read once.
   */
  private static boolean hasRandomPathSegment(String value) {
    if (value.length() < 11 || value.indexOf('/') < 0) {
      return false;
    }
    int i = value.indexOf('/');
    while (i >= 0) {
      int end = i + 1;
      while (end < value.length() && isPathTokenChar(value.charAt(end))) {
        end++;
      }
      boolean endsSegment = end == value.length() || "/?#&;,)\"'>]".indexOf(value.charAt(end)) >= 0
          || Character.isWhitespace(value.charAt(end));
      if (endsSegment && end - i - 1 >= 10 && looksRandom(value.substring(i + 1, end))) {
        return true;
      }
      i = value.indexOf('/', end);
    }
    return false;
  }

  /**
   * A URL (scheme://) whose path, after the host, holds an id: a run of 6 or more digits (hooks/catch/1234567/), or a
   * segment of 7 or more letters and digits that looks random (/s/4kP9xZq2). A segment followed by a file extension
   * is a file name, judged by {@link #hasRandomPathSegment} alone. Each character is read once.
   */
  private static boolean hasIdInUrlPath(String value) {
    int scheme = value.indexOf("://");
    while (scheme >= 0) {
      int i = scheme + 3;
      while (i < value.length() && value.charAt(i) != '/' && isUrlChar(value.charAt(i)) && value.charAt(i) != '?'
          && value.charAt(i) != '#') {
        i++; // the host and port
      }
      while (i < value.length() && isUrlChar(value.charAt(i)) && value.charAt(i) != '?' && value.charAt(i) != '#') {
        int start = i;
        int digitRun = 0;
        int longestDigitRun = 0;
        while (i < value.length() && isPathTokenChar(value.charAt(i))) {
          digitRun = Character.isDigit(value.charAt(i)) ? digitRun + 1 : 0;
          longestDigitRun = Math.max(longestDigitRun, digitRun);
          i++;
        }
        boolean fileName = i < value.length() && value.charAt(i) == '.';
        if (longestDigitRun >= 6 || (!fileName && i - start >= 7 && looksRandomShort(value.substring(start, i)))) {
          return true;
        }
        if (i == start) {
          i++; // a separator: '/', '.', '~', '%', …
        }
      }
      scheme = value.indexOf("://", i);
    }
    return false;
  }

  private static boolean isUrlChar(char c) {
    return c > ' ' && c != '"' && c != '\'' && c != '<' && c != '>';
  }

  /**
   * 7 or more letters and digits that look random: with both cases, two letters and two digits at least and a change
   * of character class at 45% of positions or more (8dK2mQ7p); in lower case, per dash- or underscore-separated part,
   * three letters and three digits at least, switching between them three times or more (abc123def456, a1b2c3d; not
   * ubuntu2204, v1beta1 or utf8mb4).
   */
  private static boolean looksRandomShort(String segment) {
    if (hasUpperCase(segment)) {
      int digits = countDigits(segment);
      return segment.length() >= 7 && digits >= 2 && segment.length() - digits >= 2 && classChangeRatio(segment) >= 0.45;
    }
    for (String part : segment.split("[-_]")) {
      int digits = countDigits(part);
      if (part.length() >= 7 && digits >= 3 && part.length() - digits >= 3 && letterDigitSwitches(part) >= 3) {
        return true;
      }
    }
    return false;
  }

  /** How often a letter follows a digit or a digit a letter: abc123def456 three times, ubuntu2204 once. */
  private static int letterDigitSwitches(String run) {
    int switches = 0;
    for (int i = 1; i < run.length(); i++) {
      switches += Character.isDigit(run.charAt(i)) != Character.isDigit(run.charAt(i - 1)) ? 1 : 0;
    }
    return switches;
  }

  private static boolean isPathTokenChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }

  private static boolean looksRandom(String segment) {
    String[] parts = hasUpperCase(segment) ? new String[] {segment} : segment.split("[-_]");
    for (String part : parts) {
      if (part.length() >= 10 && countDigits(part) >= 2 && part.length() - countDigits(part) >= 2
          && classChangeRatio(part) >= 0.35 && shannonEntropy(part) >= 3.0) {
        return true;
      }
    }
    return false;
  }

  private static int countDigits(String run) {
    int digits = 0;
    for (int i = 0; i < run.length(); i++) {
      char c = run.charAt(i);
      digits += c >= '0' && c <= '9' ? 1 : 0;
    }
    return digits;
  }

  private static boolean hasUpperCase(String run) {
    for (int i = 0; i < run.length(); i++) {
      char c = run.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return true;
      }
    }
    return false;
  }

  private static boolean hasLowerCase(String run) {
    for (int i = 0; i < run.length(); i++) {
      char c = run.charAt(i);
      if (c >= 'a' && c <= 'z') {
        return true;
      }
    }
    return false;
  }

  private static boolean mixesLettersAndDigits(String run) {
    boolean letter = false;
    boolean digit = false;
    for (int i = 0; i < run.length(); i++) {
      char c = run.charAt(i);
      letter |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      digit |= c >= '0' && c <= '9';
    }
    return letter && digit;
  }

  /**
   * How often consecutive characters change class (lower, upper, digit, other). Random keys
   * change at about 0.6 of positions; CamelCase names such as {@code Http2ConnectionPrefaceException}
   * at about 0.25.
   */
  static double classChangeRatio(String run) {
    int changes = 0;
    for (int i = 1; i < run.length(); i++) {
      if (charClass(run.charAt(i)) != charClass(run.charAt(i - 1))) {
        changes++;
      }
    }
    return run.length() < 2 ? 0 : changes / (double) (run.length() - 1);
  }

  private static int charClass(char c) {
    if (c >= 'a' && c <= 'z') {
      return 0;
    }
    if (c >= 'A' && c <= 'Z') {
      return 1;
    }
    return c >= '0' && c <= '9' ? 2 : 3;
  }

  static double shannonEntropy(String run) {
    int[] counts = new int[128];
    for (int i = 0; i < run.length(); i++) {
      counts[run.charAt(i) & 0x7f]++;
    }
    double entropy = 0;
    double length = run.length();
    for (int count : counts) {
      if (count > 0) {
        double p = count / length;
        entropy -= p * (Math.log(p) / Math.log(2));
      }
    }
    return entropy;
  }
}
