package dev.otelanalytics.internal.ga4;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Ga4Rules}: what GA4's Measurement Protocol accepts as a name, how names are normalised
 * so that every output is acceptable, and how values are made GA4-safe.
 */
class Ga4RulesTest {
  /** The reserved event names of Google's Measurement Protocol reference, all of which must be refused. */
  private static final List<String> GOOGLE_RESERVED_EVENT_NAMES = List.of(
      "ad_activeview", "ad_click", "ad_exposure", "ad_query", "ad_reward", "adunit_exposure", "app_background",
      "app_clear_data", "app_exception", "app_remove", "app_store_refund", "app_store_subscription_cancel",
      "app_store_subscription_convert", "app_store_subscription_renew", "app_update", "app_upgrade",
      "dynamic_link_app_open", "dynamic_link_app_update", "dynamic_link_first_open", "error", "first_open",
      "first_visit", "in_app_purchase", "notification_dismiss", "notification_foreground", "notification_open",
      "notification_receive", "os_update", "session_start", "session_start_with_rollout", "user_engagement");

  private static final List<String> RESERVED_PREFIXES = List.of("_", "ga_", "google_", "firebase_");

  // ---------------------------------------------------------------- the three validity checks

  private enum Kind {
    EVENT(Ga4Rules::isValidEventName, 40),
    PARAM(Ga4Rules::isValidParamName, 40),
    USER_PROPERTY(Ga4Rules::isValidUserPropertyName, 24);

    final Predicate<String> valid;
    final int maxLength;

    Kind(Predicate<String> valid, int maxLength) {
      this.valid = valid;
      this.maxLength = maxLength;
    }
  }

  @Test
  void theLimitsAreGooglesDocumentedOnes() {
    assertThat(Ga4Rules.MAX_NAME_LENGTH).isEqualTo(40);
    assertThat(Ga4Rules.MAX_USER_PROPERTY_NAME_LENGTH).isEqualTo(24);
    assertThat(Ga4Rules.MAX_EVENTS_PER_REQUEST).isEqualTo(25);
    assertThat(Ga4Rules.MAX_PARAMS_PER_EVENT).isEqualTo(25);
    assertThat(Ga4Rules.MAX_PARAM_VALUE_LENGTH).isEqualTo(100);
    assertThat(Ga4Rules.MAX_BODY_BYTES).isEqualTo(130_000);
    assertThat(Ga4Rules.MAX_AGE_HOURS).isEqualTo(72);
  }

  @ParameterizedTest(name = "{0}: length {1} -> {2}")
  @CsvSource({
      "EVENT,          1,  true",
      "EVENT,         39,  true",
      "EVENT,         40,  true",
      "EVENT,         41,  false",
      "EVENT,        100,  false",
      "PARAM,          1,  true",
      "PARAM,         40,  true",
      "PARAM,         41,  false",
      "USER_PROPERTY,  1,  true",
      "USER_PROPERTY, 23,  true",
      "USER_PROPERTY, 24,  true",
      "USER_PROPERTY, 25,  false",
      "USER_PROPERTY, 40,  false",
  })
  void maximumLengthIsAcceptedAndOneMoreIsNot(Kind kind, int length, boolean expected) {
    String name = "a" + "b1_".repeat(length).substring(0, length - 1);
    assertThat(name).hasSize(length);

    assertThat(kind.valid.test(name)).isEqualTo(expected);
  }

  @Test
  void theMaximumLengthsMatchTheConstants() {
    for (Kind kind : Kind.values()) {
      assertThat(kind.valid.test("x".repeat(kind.maxLength))).as("%s at the limit", kind).isTrue();
      assertThat(kind.valid.test("x".repeat(kind.maxLength + 1))).as("%s one over", kind).isFalse();
    }
  }

  @ParameterizedTest(name = "[{0}] is valid for every kind")
  @ValueSource(strings = {"a", "Z", "cli_command", "cliCommand", "a1", "A_1_b", "x9_", "item__count", "app_error",
      "my_ga_event", "event_google_", "adunit", "errors", "an_error", "sessionstart"})
  void wellFormedNamesAreValid(String name) {
    for (Kind kind : Kind.values()) {
      assertThat(kind.valid.test(name)).as("%s [%s]", kind, name).isTrue();
    }
  }

  @ParameterizedTest(name = "[{0}] is invalid for every kind")
  @NullAndEmptySource
  @ValueSource(strings = {
      // must start with a letter
      "1abc", "9lives", "0", "_abc", "__", " a",
      // only [A-Za-z0-9_]
      "cli.command", "cli-command", "cli command", "a b", "a/b", "a{b}", "a$b", "a:b", "naïve", "caf\u00e9", "a\u0000b",
      "a\tb", "a\n", "\u0430bc" /* Cyrillic a */, "abc\uD83D\uDE00", "ａbc" /* full-width a */, "a*", "a,b", "a=b",
  })
  void malformedNamesAreInvalid(String name) {
    for (Kind kind : Kind.values()) {
      assertThat(kind.valid.test(name)).as("%s [%s]", kind, name).isFalse();
    }
  }

  static Stream<Arguments> reservedPrefixes() {
    List<Arguments> out = new ArrayList<>();
    for (String prefix : RESERVED_PREFIXES) {
      for (String spelled : List.of(prefix, prefix.toUpperCase(Locale.ROOT), capitalised(prefix))) {
        out.add(Arguments.of(spelled + "x"));
        out.add(Arguments.of(spelled + "thing_1"));
      }
    }
    out.add(Arguments.of("gA_x"));
    out.add(Arguments.of("GoOgLe_x"));
    out.add(Arguments.of("fIREBASE_x"));
    return out.stream();
  }

  private static String capitalised(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  @ParameterizedTest(name = "[{0}] has a reserved prefix")
  @MethodSource("reservedPrefixes")
  void reservedPrefixesInAnyCaseAreInvalidForEveryKind(String name) {
    for (Kind kind : Kind.values()) {
      assertThat(kind.valid.test(name)).as("%s [%s]", kind, name).isFalse();
    }
  }

  @ParameterizedTest(name = "[{0}] does not start with a reserved prefix")
  @ValueSource(strings = {"ga", "gax", "google", "googlex", "firebase", "firebasex", "g_a", "gaa_x", "xga_", "a_ga_b",
      "googl_x", "firebas_x"})
  void namesThatOnlyResembleAReservedPrefixAreValid(String name) {
    for (Kind kind : Kind.values()) {
      assertThat(kind.valid.test(name)).as("%s [%s]", kind, name).isTrue();
    }
  }

  @Test
  void theReservedEventNamesIncludeEveryNameGoogleReserves() {
    assertThat(Ga4Rules.reservedEventNames()).containsAll(GOOGLE_RESERVED_EVENT_NAMES);
    assertThat(Ga4Rules.reservedEventNames()).allSatisfy(n -> assertThat(n).isEqualTo(n.toLowerCase(Locale.ROOT)));
  }

  static Stream<String> everyReservedEventName() {
    List<String> all = new ArrayList<>(Ga4Rules.reservedEventNames());
    Collections.sort(all);
    return all.stream();
  }

  @ParameterizedTest(name = "[{0}]")
  @MethodSource("everyReservedEventName")
  void everyReservedEventNameIsAnInvalidEventNameInAnyCaseButAValidParamName(String reserved) {
    assertThat(Ga4Rules.isValidEventName(reserved)).isFalse();
    assertThat(Ga4Rules.isValidEventName(reserved.toUpperCase(Locale.ROOT))).isFalse();
    assertThat(Ga4Rules.isValidEventName(capitalised(reserved))).isFalse();
    // Only event names are reserved: the same word is a fine parameter name.
    assertThat(Ga4Rules.isValidParamName(reserved)).isTrue();
    // ... and a near miss is a fine event name.
    assertThat(Ga4Rules.isValidEventName(reserved + "s")).isTrue();
    assertThat(Ga4Rules.isValidEventName("my_" + reserved)).isTrue();
  }

  @Test
  void theReservedSetCannotBeChangedFromOutside() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Ga4Rules.reservedEventNames().add("mine"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  // ---------------------------------------------------------------- normalising names

  @ParameterizedTest(name = "eventName([{0}]) = [{1}]")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "cli.command                  | cli_command",
      "cli_command                  | cli_command",
      "cliCommand                   | cliCommand",
      "GET /api/items/{id}          | GET_api_items_id",
      "my-event name                | my_event_name",
      "a..b--c  d                   | a_b_c_d",
      "'  leading and trailing  '   | leading_and_trailing",
      "cache.miss.                  | cache_miss",
      "error                        | app_error",
      "Error                        | app_Error",
      "ERROR                        | app_ERROR",
      "session_start                | app_session_start",
      "session.start                | app_session_start",
      "user_engagement              | app_user_engagement",
      "first-visit                  | app_first_visit",
      "app_update                   | app_app_update",
      "ga_thing                     | app_ga_thing",
      "GA_Thing                     | app_GA_Thing",
      "ga.thing                     | app_ga_thing",
      "google_x                     | app_google_x",
      "Google-X                     | app_Google_X",
      "firebase_y                   | app_firebase_y",
      "FIREBASE.y                   | app_FIREBASE_y",
      "9lives                       | app_9lives",
      "42                           | app_42",
      "_private                     | private",
      "__init__                     | init",
      "café au lait                 | caf_au_lait",
      "naïve                        | na_ve",
      "中文                          | NULL",
      "___                          | NULL",
      "...                          | NULL",
      "' '                          | NULL",
      "''                           | NULL",
      "NULL                         | NULL",
  })
  void eventNamesAreNormalised(String raw, String expected) {
    String name = Ga4Rules.eventName(raw);

    assertThat(name).isEqualTo(expected);
    if (name != null) {
      assertThat(Ga4Rules.isValidEventName(name)).as("valid: %s", name).isTrue();
    }
  }

  @ParameterizedTest(name = "paramName([{0}]) = [{1}]")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "cli.command                  | cli_command",
      "http.response.status_code    | http_response_status_code",
      "service.name                 | service_name",
      "error                        | error",
      "session_start                | session_start",
      "engagement_time_msec         | engagement_time_msec",
      "ga_thing                     | app_ga_thing",
      "google_x                     | app_google_x",
      "firebase_y                   | app_firebase_y",
      "_x                           | x",
      "9lives                       | app_9lives",
      "___                          | NULL",
      "NULL                         | NULL",
  })
  void paramNamesAreNormalisedButReservedEventNamesAreLeftAlone(String raw, String expected) {
    String name = Ga4Rules.paramName(raw);

    assertThat(name).isEqualTo(expected);
    if (name != null) {
      assertThat(Ga4Rules.isValidParamName(name)).isTrue();
    }
  }

  @ParameterizedTest(name = "[{0}]")
  @MethodSource("everyReservedEventName")
  void everyReservedEventNameGetsTheAppPrefix(String reserved) {
    assertThat(Ga4Rules.eventName(reserved)).isEqualTo("app_" + reserved);
    assertThat(Ga4Rules.eventName(reserved.toUpperCase(Locale.ROOT))).isEqualTo("app_" + reserved.toUpperCase(Locale.ROOT));
    assertThat(Ga4Rules.eventName(reserved.replace('_', '.'))).isEqualTo("app_" + reserved);
    assertThat(Ga4Rules.isValidEventName(Ga4Rules.eventName(reserved))).isTrue();
  }

  @ParameterizedTest(name = "[{0}] unchanged")
  @ValueSource(strings = {"a", "cli_command", "inspect", "GET_api_items_id", "x1", "app_error", "my_session_start",
      "aaaaaaaaaabbbbbbbbbbccccccccccdddddddddd"})
  void aValidNameWithoutDoubledOrTrailingUnderscoresPassesUnchanged(String name) {
    assertThat(Ga4Rules.isValidEventName(name)).isTrue();
    assertThat(Ga4Rules.eventName(name)).isEqualTo(name);
    assertThat(Ga4Rules.paramName(name)).isEqualTo(name);
  }

  @Test
  void longNamesAreCutToForty() {
    String sixty = "abcdefghij".repeat(6);

    assertThat(Ga4Rules.eventName(sixty)).isEqualTo(sixty.substring(0, 40));
    assertThat(Ga4Rules.paramName(sixty)).isEqualTo(sixty.substring(0, 40));
    assertThat(Ga4Rules.eventName("a".repeat(40))).isEqualTo("a".repeat(40));
    assertThat(Ga4Rules.eventName("a".repeat(41))).isEqualTo("a".repeat(40));
    // The prefix counts towards the 40.
    assertThat(Ga4Rules.eventName("9" + "a".repeat(59))).isEqualTo("app_9" + "a".repeat(35)).hasSize(40);
    assertThat(Ga4Rules.eventName("ga_" + "b".repeat(57))).isEqualTo("app_ga_" + "b".repeat(33)).hasSize(40);
    // Dots become underscores before the cut.
    String dotted = "cli.command.with.a.rather.long.name.indeed.yes";
    assertThat(Ga4Rules.eventName(dotted)).isEqualTo(dotted.replace('.', '_').substring(0, 40));
    assertThat(Ga4Rules.isValidEventName(Ga4Rules.eventName(dotted))).isTrue();
  }

  /**
   * Every output of {@code eventName}/{@code paramName} over a corpus of odd names (fixed seed, so
   * any failure reproduces) is valid, and null only when no ASCII letter or digit is left.
   */
  @Test
  void everyNormalisedNameIsValidOverARandomCorpus() {
    Random random = new Random(20261123L);
    String[] pieces = {
        "a", "Z", "q", "0", "9", "_", "__", ".", "-", " ", "/", "{", "}", "$", ":", "*", "?", "=", "\t", "\n", "\u0000",
        "é", "ß", "中", "\u0430", "ａ", "\uD83D\uDE00", "\uD83D", "\u200B", "\u00A0",
        "ga_", "GA_", "google_", "Google.", "firebase_", "FireBase-", "_", "app_", "error", "Error", "session_start",
        "session.start", "first_visit", "user_engagement", "ad_click", "app_update", "cli.command", "GET /api/{id}",
        "12345", "x".repeat(30), "Y".repeat(45),
    };
    List<String> corpus = new ArrayList<>();
    corpus.addAll(GOOGLE_RESERVED_EVENT_NAMES);
    corpus.addAll(List.of(pieces));
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      int parts = random.nextInt(8);
      for (int p = 0; p < parts; p++) {
        if (random.nextInt(4) == 0) {
          b.append((char) random.nextInt(0x3000)); // any BMP character, surrogates and controls included
        } else {
          b.append(pieces[random.nextInt(pieces.length)]);
        }
      }
      corpus.add(b.toString());
    }

    for (String raw : corpus) {
      boolean hasAsciiWordChar = raw.chars().anyMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
      String event = Ga4Rules.eventName(raw);
      String param = Ga4Rules.paramName(raw);
      if (hasAsciiWordChar) {
        assertThat(event).as("eventName(%s)", escape(raw)).isNotNull();
        assertThat(Ga4Rules.isValidEventName(event)).as("eventName(%s) = %s", escape(raw), event).isTrue();
        assertThat(param).as("paramName(%s)", escape(raw)).isNotNull();
        assertThat(Ga4Rules.isValidParamName(param)).as("paramName(%s) = %s", escape(raw), param).isTrue();
        assertThat(event).hasSizeLessThanOrEqualTo(40);
        assertThat(param).hasSizeLessThanOrEqualTo(40);
      } else {
        assertThat(event).as("eventName(%s)", escape(raw)).isNull();
        assertThat(param).as("paramName(%s)", escape(raw)).isNull();
      }
    }
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
    }
    return b.append('"').toString();
  }

  // ---------------------------------------------------------------- values

  @Test
  void stringsAreCutToExactlyOneHundredCharacters() {
    assertThat(Ga4Rules.paramValue("x".repeat(150))).isEqualTo("x".repeat(100));
    assertThat(Ga4Rules.paramValue("x".repeat(101))).isEqualTo("x".repeat(100));
    assertThat(Ga4Rules.paramValue("x".repeat(100))).isEqualTo("x".repeat(100));
    assertThat(Ga4Rules.paramValue("x".repeat(99))).isEqualTo("x".repeat(99));
    assertThat(Ga4Rules.paramValue("")).isEqualTo("");
    assertThat(Ga4Rules.paramValue("中".repeat(150))).isEqualTo("中".repeat(100));
  }

  @Test
  void aCutNeverSplitsASurrogatePair() {
    String emojiAtTheLimit = "x".repeat(99) + "\uD83D\uDE00";

    Object cut = Ga4Rules.paramValue(emojiAtTheLimit);

    assertThat(cut).isEqualTo("x".repeat(99));
    Object joined = Ga4Rules.paramValue(List.of("x".repeat(99) + "\uD83D\uDE00"));
    assertThat(joined).isEqualTo("x".repeat(99));
  }

  static Stream<Arguments> values() {
    return Stream.of(
        Arguments.of("a long", 42L, 42L),
        Arguments.of("a negative long", -7L, -7L),
        Arguments.of("Long.MAX_VALUE", Long.MAX_VALUE, Long.MAX_VALUE),
        Arguments.of("an int becomes a long", 7, 7L),
        Arguments.of("a double", 0.25, 0.25),
        Arguments.of("a negative double", -1.5e10, -1.5e10),
        Arguments.of("NaN", Double.NaN, null),
        Arguments.of("+infinity", Double.POSITIVE_INFINITY, null),
        Arguments.of("-infinity", Double.NEGATIVE_INFINITY, null),
        Arguments.of("true", true, "true"),
        Arguments.of("false", false, "false"),
        Arguments.of("a short string", "inspect", "inspect"),
        Arguments.of("a list of strings", List.of("a", "b", "c"), "a,b,c"),
        Arguments.of("a list of longs", List.of(1L, 2L, 30L), "1,2,30"),
        Arguments.of("a list of booleans", List.of(true, false), "true,false"),
        Arguments.of("a list of doubles", List.of(0.5, 2.0), "0.5,2.0"),
        Arguments.of("an empty list", List.of(), ""),
        Arguments.of("a one-element list", List.of("solo"), "solo"),
        Arguments.of("a long list is cut", Collections.nCopies(60, "ab"), String.join(",", Collections.nCopies(60, "ab")).substring(0, 100)),
        Arguments.of("a list of long strings is cut", List.of("y".repeat(80), "z".repeat(80)), "y".repeat(80) + "," + "z".repeat(19)),
        Arguments.of("null", null, null),
        Arguments.of("another type", new Object(), null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void valuesAreMadeGa4Safe(String description, Object value, Object expected) {
    Object safe = Ga4Rules.paramValue(value);

    assertThat(safe).isEqualTo(expected);
    if (safe instanceof String) {
      assertThat((String) safe).hasSizeLessThanOrEqualTo(100);
    }
    if (expected instanceof Long) {
      assertThat(safe).isInstanceOf(Long.class);
    }
  }
}
