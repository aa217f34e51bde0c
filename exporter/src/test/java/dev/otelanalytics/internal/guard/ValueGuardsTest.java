package dev.otelanalytics.internal.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ValueGuardsTest {
  static final String JWT =
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

  static Stream<Arguments> flaggedValues() {
    return Stream.of(
        arguments("alice@example.com", GuardReason.EMAIL),
        arguments("contact: bob.smith+tag@mail.co.uk", GuardReason.EMAIL),
        arguments("10.0.0.12", GuardReason.IP_ADDRESS),
        arguments("from 192.168.1.20:8080", GuardReason.IP_ADDRESS),
        arguments("2001:db8::1", GuardReason.IP_ADDRESS),
        arguments("fe80::1ff:fe23:4567:890a", GuardReason.IP_ADDRESS),
        arguments("::1", GuardReason.IP_ADDRESS),
        arguments("2001:0db8:85a3:0000:0000:8a2e:0370:7334", GuardReason.IP_ADDRESS),
        arguments("/home/alice/projects/x", GuardReason.HOME_PATH),
        arguments("/Users/bob/Documents", GuardReason.HOME_PATH),
        arguments("C:\\Users\\bob\\AppData\\x", GuardReason.HOME_PATH),
        arguments("C:/Users/bob", GuardReason.HOME_PATH),
        arguments("~/secret", GuardReason.HOME_PATH),
        arguments("/root/.ssh", GuardReason.HOME_PATH),
        arguments("/var/folders/xy/abc123/T/tmp.txt", GuardReason.HOME_PATH),
        arguments("https://user:pass@host/x", GuardReason.URL_SECRET),
        arguments("https://example.com/a?token=1", GuardReason.URL_SECRET),
        arguments("Bearer abcdef123456789", GuardReason.SECRET_TOKEN),
        arguments(JWT, GuardReason.SECRET_TOKEN),
        arguments("AKIAIOSFODNN7EXAMPLE", GuardReason.SECRET_TOKEN),
        arguments("ghp_" + "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", GuardReason.SECRET_TOKEN),
        arguments("da39a3ee5e6b4b0d3255bfef95601890afd80709", GuardReason.SECRET_TOKEN),
        arguments("7Gx2kQp9ZrT4mWb8NcV1yLs5HdJ3fA6e", GuardReason.SECRET_TOKEN),
        arguments("4111111111111111", GuardReason.CARD_NUMBER),
        arguments("4111 1111 1111 1111", GuardReason.CARD_NUMBER),
        arguments("4111-1111-1111-1111", GuardReason.CARD_NUMBER));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource("flaggedValues")
  void flagsSensitiveValueWithItsReason(String value, GuardReason expected) {
    assertThat(ValueGuards.check(value)).isEqualTo(expected);
  }

  @Test
  void githubTokenFixtureIsGhpPlus36Alphanumerics() {
    String token = "ghp_" + "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789";
    assertThat(token.substring(4)).hasSize(36).matches("[A-Za-z0-9]+");
  }

  @Test
  void flagsRandomBase62StringsOf32CharsHoldingADigit() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    Random random = new Random(42);
    int checked = 0;
    while (checked < 200) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 32; i++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String candidate = sb.toString();
      if (!candidate.matches(".*[0-9].*") || !candidate.matches(".*[A-Za-z].*")) {
        continue;
      }
      assertThat(ValueGuards.check(candidate)).as(candidate).isEqualTo(GuardReason.SECRET_TOKEN);
      checked++;
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {4111111111111111L, 1_000_000_000_000L, -4111111111111111L, Long.MAX_VALUE, Long.MIN_VALUE})
  void flagsLongsOfThirteenOrMoreDigitsAsCardNumbers(long value) {
    assertThat(ValueGuards.check(value)).isEqualTo(GuardReason.CARD_NUMBER);
  }

  @ParameterizedTest
  @ValueSource(longs = {0L, 404L, 1234567L, 999_999_999_999L, -999_999_999_999L})
  void passesLongsOfTwelveOrFewerDigits(long value) {
    assertThat(ValueGuards.check(value)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "inspect",
        "cli.command",
        "/api/v1/items",
        "1.2.3",
        "17.0.15+6-Debian-1deb12u1",
        "2.33.1-SNAPSHOT",
        "IllegalArgumentException",
        "java.net.UnknownHostException",
        "12:30:45",
        "std::string",
        "linux",
        "amd64",
        "true",
        "GET /api/users",
        "http://localhost:8080/x",
        "Base64DecodingException",
        "org.apache.commons.lang3.StringUtils",
        "2024-01-15T12:30:45Z",
      })
  void passesOrdinaryValues(String value) {
    assertThat(ValueGuards.check(value)).isNull();
  }

  @ParameterizedTest
  @NullAndEmptySource
  void passesNullAndEmpty(String value) {
    assertThat(ValueGuards.check(value)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET /api/users/{id}", "/api/users/42/orders", "/api/home/feed", "GET /v1/root/items"})
  void passesHttpRoutesContainingUsersHomeOrRootSegments(String route) {
    assertThat(ValueGuards.check(route)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Http2ConnectionPrefaceException", "OAuth2AuthorizationException", "Ipv6AddressFormatException"})
  void passesExceptionClassNamesContainingDigits(String className) {
    assertThat(ValueGuards.check(className)).isNull();
  }

  static Stream<Arguments> canariesInSentences() {
    return Stream.of(
        arguments("please reply to alice@example.com before friday", GuardReason.EMAIL),
        arguments("connection from 10.1.2.3 was refused", GuardReason.IP_ADDRESS),
        arguments("connection from peer 2001:db8::7 was refused", GuardReason.IP_ADDRESS),
        arguments("could not open /home/alice/notes.txt for reading", GuardReason.HOME_PATH),
        arguments("could not open C:\\Users\\bob\\notes.txt for reading", GuardReason.HOME_PATH),
        arguments("redirected to https://example.com/cb?code=xyz after login", GuardReason.URL_SECRET),
        arguments("fetching https://admin:hunter2@repo/releases failed", GuardReason.URL_SECRET),
        arguments("sent header Bearer abc123def456ghi789 upstream", GuardReason.SECRET_TOKEN),
        arguments("token was " + JWT + " and expired", GuardReason.SECRET_TOKEN),
        arguments("leaked key AKIAIOSFODNN7EXAMPLE in config", GuardReason.SECRET_TOKEN),
        arguments("paid with 4111 1111 1111 1111 yesterday", GuardReason.CARD_NUMBER));
  }

  @ParameterizedTest(name = "[{index}] {1}: {0}")
  @MethodSource("canariesInSentences")
  void catchesCanaryEmbeddedInLongerSentence(String sentence, GuardReason expected) {
    assertThat(ValueGuards.check(sentence)).isEqualTo(expected);
  }

  @Test
  void everyReasonHasAPlainWordsDescription() {
    for (GuardReason reason : GuardReason.values()) {
      assertThat(reason.description()).isNotBlank();
    }
  }
}
