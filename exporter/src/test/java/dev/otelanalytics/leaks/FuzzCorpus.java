package dev.otelanalytics.leaks;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The deterministic fuzz corpus: personal-data canaries of many kinds, wrapped in benign text,
 * each placed in one field a span can carry.
 *
 * <p>Every canary that can hold letters holds a unique <em>marker</em>: {@code q} and seven
 * lower-case letters, none of them {@code q} or {@code l} (in random tokens, each letter in a
 * random case). No other generated text contains a {@code q}, so a marker found anywhere in an
 * output names the case it came from. Canaries that are digits or hex only (IP addresses, card
 * numbers) are unique instead, and are searched for as written.
 *
 * <p>The seed is fixed: the same code always produces the same cases, so the leak test's
 * {@code KNOWN_LEAKS} can name exact inputs. Changing the generator changes the inputs.
 */
final class FuzzCorpus {
  static final long SEED = 0x5EED_1EA4_2026L;
  /** Instances of every (field, kind) pair: the first bare, the others in distinct random wrappers. */
  static final int INSTANCES_PER_PAIR = 7;

  /** Where in a span a canary is put. */
  enum Field {
    ATTR_ALLOWED("attr.allowed.string"),
    ATTR_ALLOWED_ARRAY("attr.allowed.array"),
    ATTR_HASHED("attr.hashed"),
    ATTR_HASHED_ARRAY("attr.hashed.array"),
    ATTR_UNLISTED("attr.unlisted"),
    ATTR_KEY("attr.key"),
    SPAN_NAME("span.name"),
    ANALYTICS_EVENT("attr.analytics.event"),
    SPAN_EVENT_NAME_ALLOWED("spanevent.name.allowed"),
    SPAN_EVENT_NAME_UNLISTED("spanevent.name.unlisted"),
    SPAN_EVENT_ATTR_ALLOWED("spanevent.attr.allowed"),
    SPAN_EVENT_ATTR_UNLISTED("spanevent.attr.unlisted"),
    SPAN_EVENT_ATTR_KEY("spanevent.attr.key"),
    RESOURCE_ALLOWED("resource.allowed"),
    RESOURCE_UNLISTED("resource.unlisted"),
    RESOURCE_KEY("resource.key"),
    EXCEPTION_MESSAGE("exception.message"),
    EXCEPTION_CAUSE_MESSAGE("exception.cause.message"),
    EXCEPTION_TYPE("exception.type"),
    ERROR_TYPE("attr.error.type"),
    STATUS_DESCRIPTION("status.description"),
    LINK_ATTR("link.attr"),
    SCOPE_NAME("scope.name"),
    SCOPE_VERSION("scope.version"),
    /** Card kinds only: the digits as a long attribute value. */
    ATTR_ALLOWED_LONG("attr.allowed.long"),
    /** Card kinds only: the digits as a double attribute value. */
    ATTR_ALLOWED_DOUBLE("attr.allowed.double"),
    /** The value in one allowed attribute of each type but text (token, route, version, enum, int, number, bool). */
    ATTR_TYPED("attr.typed");

    final String label;

    Field(String label) {
      this.label = label;
    }

    boolean numericOnly() {
      return this == ATTR_ALLOWED_LONG || this == ATTR_ALLOWED_DOUBLE;
    }
  }

  /** A canary as generated: the raw value, and what to look for in outputs. */
  record Canary(String value, List<String> needles) {}

  /** How a canary is wrapped into a longer value. */
  record Wrapper(String name, UnaryOperator<String> wrap, UnaryOperator<String> transform) {
    String apply(String canary) {
      return wrap.apply(transform.apply(canary));
    }
  }

  /** One input: which field, which kind, which wrapper, and the exact value put there. */
  record Case(int index, String id, Field field, String kind, String wrapper, String canary, String input,
      long number, List<String> needles) {
    /** The key used in KNOWN_LEAKS: the field and the exact input. */
    String key() {
      return field.label + " | " + (field.numericOnly() ? Long.toString(number) : input);
    }
  }

  private static final String LETTERS = "abcdefghijkmnoprstuvwxyz"; // no q, no l
  private static final String ALNUM = "ABCDEFGHIJKLMNOPRSTUVWXYZabcdefghijklmnoprstuvwxyz0123456789"; // no q/Q
  private static final String UPPER_ALNUM = "ABCDEFGHIJKLMNOPRSTUVWXYZ0123456789";
  private static final String B64URL = ALNUM + "-_";
  private static final String HEX = "0123456789abcdef";
  private static final String[] NAMES = {
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar", "peggy",
    "trent", "victor", "walter", "zoe", "yannick", "maria", "jose"
  };
  private static final String[] DOMAINS = {"example.com", "example.org", "corp.example.net", "mail.example.co.uk", "example.io"};
  private static final String[] IDN_DOMAINS = {"ex\u00e4mple.de", "m\u00fcnchen.example", "b\u00fccher.example.at",
    "\u4f8b\u3048.jp", "\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444", "caf\u00e9.example.fr"};
  private static final String[] PUNYCODE_DOMAINS = {"xn--exmple-cua.de", "xn--mnchen-3ya.example", "xn--r8jz45g.jp",
    "xn--e1afmkfd.xn--p1ai", "xn--caf-dma.example.fr"};

  /** Canary kinds, in a fixed order. */
  static final List<String> KINDS = List.of(
      "email.plain", "email.plus-tag", "email.quoted-local", "email.idn", "email.punycode", "email.uppercase",
      "ipv4.plain", "ipv4.port", "ipv4.leading-zeros",
      "ipv6.full", "ipv6.compressed", "ipv6.mapped-ipv4", "ipv6.bracketed-port",
      "home.linux", "home.macos", "home.root", "home.tilde", "home.tilde-user",
      "winhome.backslash", "winhome.forward-slash", "winhome.unc",
      "url.userinfo", "url.query",
      "secret.bearer", "secret.jwt", "secret.aws-akia", "secret.github-ghp", "secret.slack-xoxb", "secret.posthog-phx",
      "secret.high-entropy",
      "card.plain", "card.spaces", "card.dashes");

  static final List<String> CARD_KINDS = List.of("card.plain", "card.spaces", "card.dashes");

  /** Wrappers: the first is the canary alone. Benign text holds no 'q' and no digits. */
  static final List<Wrapper> WRAPPERS = List.of(
      new Wrapper("bare", s -> s, s -> s),
      new Wrapper("prefix", s -> "opened " + s, s -> s),
      new Wrapper("suffix", s -> s + " was used", s -> s),
      new Wrapper("both", s -> "saw " + s + " in the report", s -> s),
      new Wrapper("double-quotes", s -> "\"" + s + "\"", s -> s),
      new Wrapper("single-quotes", s -> "'" + s + "'", s -> s),
      new Wrapper("parens", s -> "(" + s + ")", s -> s),
      new Wrapper("angle", s -> "<" + s + ">", s -> s),
      new Wrapper("assign", s -> "target=" + s, s -> s),
      new Wrapper("json", s -> "{\"value\":\"" + s + "\"}", s -> s),
      new Wrapper("sentence", s -> "Contact " + s + ". Thanks", s -> s),
      new Wrapper("at-file", s -> "curl -d @" + s, s -> s),
      new Wrapper("redirect", s -> "cat notes >" + s, s -> s),
      new Wrapper("glued-flag", s -> "build -I" + s, s -> s),
      new Wrapper("percent-encoded", s -> s, s -> URLEncoder.encode(s, StandardCharsets.UTF_8)),
      new Wrapper("fullwidth-punct", s -> s, FuzzCorpus::fullwidthPunctuation));

  private final Random random = new Random(SEED);
  private final Set<String> markers = new HashSet<>();
  private final Set<String> uniques = new HashSet<>();

  private FuzzCorpus() {}

  /** All cases, in a fixed order. */
  static List<Case> generate() {
    return new FuzzCorpus().build();
  }

  private List<Case> build() {
    List<Case> cases = new ArrayList<>();
    for (Field field : Field.values()) {
      for (String kind : KINDS) {
        if (field.numericOnly()) {
          if (!kind.equals("card.plain")) {
            continue;
          }
          for (int i = 0; i < 3; i++) {
            String digits = luhnCard();
            cases.add(newCase(cases.size(), field, kind, "bare", digits, digits, Long.parseLong(digits), List.of(digits)));
          }
          continue;
        }
        List<Wrapper> others = new ArrayList<>(WRAPPERS.subList(1, WRAPPERS.size()));
        Collections.shuffle(others, random);
        for (int i = 0; i < INSTANCES_PER_PAIR; i++) {
          Wrapper wrapper = i == 0 ? WRAPPERS.get(0) : others.get(i - 1);
          Canary canary = canary(kind);
          Set<String> needles = new LinkedHashSet<>(canary.needles());
          for (String n : canary.needles()) {
            needles.add(wrapper.transform().apply(n));
          }
          String input = wrapper.apply(canary.value());
          cases.add(newCase(cases.size(), field, kind, wrapper.name(), canary.value(), input, 0, new ArrayList<>(needles)));
        }
      }
    }
    return cases;
  }

  private static Case newCase(int index, Field field, String kind, String wrapper, String canary, String input, long number,
      List<String> needles) {
    return new Case(index, caseId(index), field, kind, wrapper, canary, input, number, needles);
  }

  /** {@code fz-} and letters (no q, no digits), so the id itself is inert. */
  static String caseId(int index) {
    StringBuilder s = new StringBuilder();
    int n = index;
    for (int i = 0; i < 4; i++) {
      s.append(LETTERS.charAt(n % LETTERS.length()));
      n /= LETTERS.length();
    }
    return "fz-" + s.reverse();
  }

  private Canary canary(String kind) {
    String m = marker();
    String name = pick(NAMES);
    switch (kind) {
      case "email.plain":
        return withMarker(name + "." + m + "@" + pick(DOMAINS), m);
      case "email.plus-tag":
        return withMarker(name + "+" + m + "@" + pick(DOMAINS), m);
      case "email.quoted-local":
        return withMarker("\"" + name + " " + m + "\"@" + pick(DOMAINS), m);
      case "email.idn":
        return withMarker(name + "." + m + "@" + pick(IDN_DOMAINS), m);
      case "email.punycode":
        return withMarker(name + "." + m + "@" + pick(PUNYCODE_DOMAINS), m);
      case "email.uppercase":
        return withMarker((name + "." + m + "@" + pick(DOMAINS)).toUpperCase(Locale.ROOT), m);
      case "ipv4.plain": {
        String ip = unique(this::ipv4);
        return new Canary(ip, List.of(ip));
      }
      case "ipv4.port": {
        String ip = unique(this::ipv4);
        String v = ip + ":" + (1024 + random.nextInt(60000));
        return new Canary(v, List.of(v, ip));
      }
      case "ipv4.leading-zeros": {
        String ip = unique(() -> String.format(Locale.ROOT, "%03d.%03d.%03d.%03d",
            random.nextInt(100), random.nextInt(100), random.nextInt(100), random.nextInt(100)));
        return new Canary(ip, List.of(ip));
      }
      case "ipv6.full": {
        String ip = unique(() -> {
          StringBuilder s = new StringBuilder();
          for (int i = 0; i < 8; i++) {
            s.append(i == 0 ? "" : ":").append(hexGroup());
          }
          return s.toString();
        });
        return new Canary(ip, List.of(ip));
      }
      case "ipv6.compressed": {
        String ip = unique(this::ipv6Compressed);
        return new Canary(ip, List.of(ip));
      }
      case "ipv6.mapped-ipv4": {
        String v4 = unique(this::ipv4);
        String ip = "::ffff:" + v4;
        return new Canary(ip, List.of(ip, v4));
      }
      case "ipv6.bracketed-port": {
        String ip = unique(this::ipv6Compressed);
        String v = "[" + ip + "]:" + (1024 + random.nextInt(60000));
        return new Canary(v, List.of(v, ip));
      }
      case "home.linux":
        return withMarker("/home/" + m + "/projects/report.txt", m);
      case "home.macos":
        return withMarker("/Users/" + m + "/Library/Preferences", m);
      case "home.root":
        return withMarker("/root/" + m + "/.bash_history", m);
      case "home.tilde":
        return withMarker("~/" + m + "/notes.txt", m);
      case "home.tilde-user":
        return withMarker("~" + m + "/docs/plan.txt", m);
      case "winhome.backslash":
        return withMarker("C:\\Users\\" + m + "\\Documents\\report.docx", m);
      case "winhome.forward-slash":
        return withMarker("C:/Users/" + m + "/AppData/Local", m);
      case "winhome.unc":
        return withMarker("\\\\fileserver\\Users\\" + m + "\\Desktop", m);
      case "url.userinfo":
        return withMarker("https://" + m + ":" + random(ALNUM, 10) + "@git.example.com/team/repo.git", m);
      case "url.query":
        return withMarker("https://shop.example.com/account/reset?email=" + m + "&lang=en", m);
      case "secret.bearer":
        return withMarker("Bearer " + insert(random(ALNUM, 12 + random.nextInt(28)), mixedCase(m)), m);
      case "secret.jwt": {
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
            ("{\"sub\":\"" + m + "\",\"name\":\"" + name + "\",\"admin\":true}").getBytes(StandardCharsets.UTF_8));
        String jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + payload + "." + insert(random(B64URL, 35), mixedCase(m));
        return new Canary(jwt, List.of(m, payload));
      }
      case "secret.aws-akia":
        return withMarker("AKIA" + insert(random(UPPER_ALNUM, 8), m.toUpperCase(Locale.ROOT)), m);
      case "secret.github-ghp":
        return withMarker("ghp_" + insert(random(ALNUM, 28), mixedCase(m)), m);
      case "secret.slack-xoxb":
        return withMarker("xoxb-" + digits(11) + "-" + digits(13) + "-" + insert(random(ALNUM, 16), mixedCase(m)), m);
      case "secret.posthog-phx":
        return withMarker("phx_" + insert(random(ALNUM, 32), mixedCase(m)), m);
      case "secret.high-entropy":
        return withMarker(insert(random(ALNUM + "_-", 28 + random.nextInt(20)), mixedCase(m)), m);
      case "card.plain": {
        String card = luhnCard();
        return new Canary(card, List.of(card));
      }
      case "card.spaces":
      case "card.dashes": {
        String card = luhnCard();
        String sep = kind.equals("card.spaces") ? " " : "-";
        String formatted =
            card.substring(0, 4) + sep + card.substring(4, 8) + sep + card.substring(8, 12) + sep + card.substring(12);
        return new Canary(formatted, List.of(formatted, card));
      }
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  /** The marker is the needle: the whole value holds it, so any leak of the value shows the marker. */
  private static Canary withMarker(String value, String marker) {
    return new Canary(value, List.of(marker));
  }

  /**
   * The marker with each letter's case chosen at random, for random tokens: a run of eight
   * lower-case letters would make a token look less random than real ones, so the entropy guard
   * would be tested against an easier (or harder) input than reality. Outputs are searched
   * case-insensitively.
   */
  private String mixedCase(String marker) {
    StringBuilder s = new StringBuilder(marker.length());
    for (char c : marker.toCharArray()) {
      s.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
    }
    return s.toString();
  }

  private String marker() {
    String m;
    do {
      m = "q" + random(LETTERS, 7);
    } while (!markers.add(m));
    return m;
  }

  private String unique(java.util.function.Supplier<String> supplier) {
    String v;
    do {
      v = supplier.get();
    } while (!uniques.add(v));
    return v;
  }

  /** Four octets of three digits each (100-254): no address is part of another. */
  private String ipv4() {
    return (100 + random.nextInt(155)) + "." + (100 + random.nextInt(155)) + "." + (100 + random.nextInt(155)) + "."
        + (100 + random.nextInt(155));
  }

  private String ipv6Compressed() {
    switch (random.nextInt(3)) {
      case 0:
        return "2001:db8:" + hexGroup() + "::" + hexGroup() + ":" + hexGroup();
      case 1:
        return "fe80::" + hexGroup() + ":" + hexGroup() + ":" + hexGroup() + ":" + hexGroup();
      default:
        return hexGroup() + ":" + hexGroup() + "::" + hexGroup();
    }
  }

  private String hexGroup() {
    return "" + HEX.charAt(8 + random.nextInt(8)) + random(HEX, 3);
  }

  private String luhnCard() {
    String[] prefixes = {"4", "51", "52", "53", "54", "55", "2221", "6011"};
    String card;
    do {
      StringBuilder s = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
      while (s.length() < 15) {
        s.append(random.nextInt(10));
      }
      s.append(luhnCheckDigit(s.toString()));
      card = s.toString();
    } while (!uniques.add(card));
    return card;
  }

  /** The digit that makes {@code partial} + digit pass the Luhn check. */
  static int luhnCheckDigit(String partial) {
    int sum = 0;
    boolean twice = true;
    for (int i = partial.length() - 1; i >= 0; i--) {
      int d = partial.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return (10 - sum % 10) % 10;
  }

  static boolean luhnValid(String digits) {
    return luhnCheckDigit(digits.substring(0, digits.length() - 1)) == digits.charAt(digits.length() - 1) - '0';
  }

  private String digits(int n) {
    return random("0123456789", n);
  }

  private String insert(String text, String marker) {
    int at = random.nextInt(text.length() + 1);
    return text.substring(0, at) + marker + text.substring(at);
  }

  private String random(String alphabet, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }

  /** {@code @ . / : \} as their full-width forms, which NFKC maps back. */
  static String fullwidthPunctuation(String s) {
    return s.replace('@', '\uFF20').replace('.', '\uFF0E').replace('/', '\uFF0F').replace(':', '\uFF1A').replace('\\', '\uFF3C');
  }
}
