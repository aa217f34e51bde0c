package dev.otelanalytics.internal.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The RE2 forms of the value guards find what {@link ValueGuards} finds, for the same reason, and
 * leave ordinary values alone; where they differ, it is by the documented arithmetic RE2 lacks.
 * (Java reads the patterns as RE2 does: they use no syntax the two read differently.)
 */
class Re2GuardsTest {
  /** The values only an entropy test recognises, which no RE2 pattern can. */
  private static final List<String> ENTROPY_ONLY = List.of("7Gx2kQp9ZrT4mWb8NcV1yLs5HdJ3fA6e");

  private static List<GuardReason> reasonsFor(String value) {
    return Re2Guards.all().stream()
        .filter(g -> Pattern.compile(g.pattern()).matcher(value).find())
        .map(Re2Guards.Re2Guard::reason)
        .distinct()
        .collect(Collectors.toList());
  }

  @Test
  void everyPatternCompilesAndSaysWhatItFinds() {
    assertThat(Re2Guards.all()).hasSizeGreaterThan(10);
    for (Re2Guards.Re2Guard guard : Re2Guards.all()) {
      assertThat(Pattern.compile(guard.pattern())).isNotNull();
      assertThat(guard.description()).isNotBlank();
      // RE2 has none of these: look-around, back-references, possessive or atomic groups.
      assertThat(guard.pattern()).doesNotContain("(?=", "(?!", "(?<=", "(?<!", "(?>", "\\1", "*+", "++", "?+");
    }
  }

  @Test
  void everyGuardReasonHasAPattern() {
    assertThat(Re2Guards.all().stream().map(Re2Guards.Re2Guard::reason).distinct())
        .containsExactlyInAnyOrder(GuardReason.values());
  }

  static Stream<Arguments> canaries() {
    return Stream.of(
        arguments("alice@example.com", GuardReason.EMAIL),
        arguments("/home/alice/x", GuardReason.HOME_PATH),
        arguments("C:\\Users\\alice", GuardReason.HOME_PATH),
        arguments("10.1.2.3", GuardReason.IP_ADDRESS),
        arguments("2001:db8::1", GuardReason.IP_ADDRESS),
        arguments("fe80::1ff:fe23:4567:890a", GuardReason.IP_ADDRESS),
        arguments("Bearer x7GqA9bC2dE4fG6h", GuardReason.SECRET_TOKEN),
        arguments(ValueGuardsTest.JWT, GuardReason.SECRET_TOKEN),
        arguments("AKIAIOSFODNN7EXAMPLE", GuardReason.SECRET_TOKEN),
        arguments("4111 1111 1111 1111", GuardReason.CARD_NUMBER),
        arguments("4111111111111111", GuardReason.CARD_NUMBER));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource("canaries")
  void findsEachCanaryForTheReasonJavaGives(String value, GuardReason reason) {
    assertThat(ValueGuards.check(value)).isEqualTo(reason);
    assertThat(reasonsFor(value)).contains(reason);
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource({"dev.otelanalytics.internal.guard.ValueGuardsTest#flaggedValues",
      "dev.otelanalytics.internal.guard.ValueGuardsTest#canariesInSentences"})
  void findsWhatJavaFindsExceptWhatOnlyEntropyTells(String value, GuardReason reason) {
    if (ENTROPY_ONLY.contains(value)) {
      assertThat(reasonsFor(value)).as("an entropy-only secret: RE2 cannot tell it from a word").isEmpty();
    } else {
      assertThat(reasonsFor(value)).contains(reason);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1/items/{id}", "GET", "200", "1.2.3", "python", "inspect", "cli.command", "/api/v1/items",
      "17.0.15+6-Debian-1deb12u1", "2.33.1-SNAPSHOT", "IllegalArgumentException", "java.net.UnknownHostException", "12:30:45",
      "std::string", "linux", "amd64", "true", "GET /api/users", "http://localhost:8080/x", "Base64DecodingException",
      "org.apache.commons.lang3.StringUtils", "2024-01-15T12:30:45Z", "GET /api/users/{id}", "/api/users/42/orders",
      "/api/home/feed", "GET /v1/root/items", "Http2ConnectionPrefaceException", "Ipv6AddressFormatException",
      "Bearer of bad news", "token expired", "web", "POST /oauth2/token", "checkout-7d4b9c8f6-x2k9p"})
  void leavesOrdinaryValuesAlone(String value) {
    assertThat(ValueGuards.check(value)).isNull();
    assertThat(reasonsFor(value)).isEmpty();
  }

  /** Each guard written without look-around must decide exactly as Java's does, edge by edge. */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      // auth schemes: a plain word is not a credential, anything else of 8 or more characters is
      "Bearer abcdefgh          | false",
      "Bearer Abcdefgh          | false",
      "Bearer abcdefg1          | true",
      "Bearer aBcdefgh          | true",
      "Bearer 1bcdefgh          | true",
      "Bearer abc1              | false",
      "basic dXNlcjpwYXNz       | true",
      // IPv6: seven colons, or '::' with a hex digit; not times, not C++ or Rust paths
      "::1                      | true",
      "1:2:3:4:5:6:7:8          | true",
      "a::b                     | true",
      "12:30:45                 | false",
      "std::vector              | false",
      "Foo::Bar                 | false",
      // IPv4 and MAC addresses, host names made of addresses
      "10.20.30.40              | true",
      "10.20.30.400             | false",
      "1.2.3.4.5                | true",
      "00:1a:2b:3c:4d:5e        | true",
      "00-1A-2B-3C-4D-5E        | true",
      "00:1a:2b:3c:4d           | false",
      "ip-10-0-1-23.ec2.internal| true",
      // e-mail without a top-level domain, and what is not one
      "root@localhost           | true",
      "user@corp done           | true",
      "npm i @scope/pkg         | false",
      "git@github.com:org/repo  | true",
      // home paths only where a path starts
      "/api/home/feed           | false",
      "open /home/bob/x         | true",
      "-I/home/bob/include      | true",
      "file:///home/bob/x       | true",
      "~bob/notes               | true",
      "\\\\srv\\users\\bob      | true",
      // four version parts are not an address, unless the word before names one
      "jdk-17.0.8.1-hotspot     | false",
      "5.10.102.1-microsoft     | false",
      "ip-10.0.0.5              | true",
      "10.0.0.5:8080            | true",
      // a user's home on a web server, a roaming profile, a share URL
      "http://host/~mary/       | true",
      "/tmp/~WRL0001.tmp        | false",
      "E:\\Profiles\\kwong      | true",
      "/Profiles/Details/5      | false",
      "smb://nas/scans/a.pdf    | true",
      "file://localhost/etc/x   | false",
      // credentials as command-line options
      "keytool -storepass x1    | true",
      "--password-file /etc/x   | false",
      "curl -u bob:pa55 x       | true",
      "docker -u 1000:1000 x    | false",
      // a person's id or a document number after its label; a spelled 'at' with a dotted domain
      "PLAYERID=Q7T2K9          | true",
      "user_id=42               | false",
      "Reisepass C01X00T47      | true",
      "passport expired         | false",
      "j_smith at mail.example.org | true",
      "look at example.com      | false",
      // a password named in another language, with a value that looks like one
      "Passwort: Geheim123      | true",
      "mot_de_passe=azerty12    | true",
      "Passwort: vergessen      | false",
      "contraseña: 8 caracteres | false",
      // record numbers after labels in other languages, a bare English noun, a compound; a Salesforce id
      "Kundennummer 12345678    | true",
      "numéro client 123456     | true",
      "stripe customer 99887766 | true",
      "Kundennummer eingeben    | false",
      "customer 2 of 5          | false",
      "ContactId: 0035g00000Xk3QzAAJ | true",
      "0035g00000Xk3QzAAJ       | false",
      // a MAC address without separators after its label; an ISP's host name with an address in hex
      "mac=001a2b3c4d5e         | true",
      "commit 001a2b3c4d5e      | false",
      "p5b0c3a1e.dip0.example.de| true",
      "a1b2c3d4.cloudfront.net  | false",
      // cloud-storage user folders, WSL's local UNC names, a phone with its area code in parentheses, key files
      "/dav/files/alice/x       | true",
      "/dav/files/{user}/x      | false",
      "\\\\wsl$\\Debian\\etc\\hosts | false",
      "\\\\wsl$\\Debian\\home\\bob | true",
      "\\\\wslx\\share\\x   | true",
      "(030) 12345678           | true",
      "(2024) report            | false",
      "PuTTY-User-Key-File-3: ssh-rsa | true",
      "8.0.39-0ubuntu0.22.04.1  | false",
  })
  void decidesEdgesAsJavaDoes(String value, boolean blocked) {
    String v = value.trim();
    assertThat(ValueGuards.check(v) != null).as("Java's guards on '%s'", v).isEqualTo(blocked);
    assertThat(!reasonsFor(v).isEmpty()).as("RE2 patterns on '%s'", v).isEqualTo(blocked);
  }

  /** Where RE2 cannot do the arithmetic, it drops more than Java, never less. */
  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"4111.1111.1111.1113", "4111/1111/1111/1113", "20240501123000", "abababababababababababababababab"})
  void dropsWhatOnlyTheMissingArithmeticWouldLetThrough(String value) {
    assertThat(ValueGuards.check(value)).as("Java: fails Luhn, a compact ISO date, or too regular to be a secret or id")
        .isNull();
    assertThat(reasonsFor(value)).isNotEmpty()
        .isSubsetOf(GuardReason.CARD_NUMBER, GuardReason.SECRET_TOKEN, GuardReason.PERSONAL_ID);
  }

  /** The IBAN checksum and the DNI letter: RE2 drops every such shape, Java only the valid ones. */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      // with no run of 9 digits or more, which would be dropped as a long number whatever its checksum
      "NL91 ABNA 0417 1643 00          | true",
      "nl91 abna 0417 1643 00          | true",
      "NL92 ABNA 0417 1643 00          | false",
      "DE00 ABCD EFGH IJKL MN          | false",
      "12345678Z                       | true",
      "12345678A                       | false",
      "X1234567L                       | true",
      "X1234567A                       | false",
  })
  void checksumsOnlyJavaCanTest(String value, boolean valid) {
    String v = value.trim();
    assertThat(ValueGuards.check(v)).as("Java on '%s'", v).isEqualTo(valid ? GuardReason.PERSONAL_ID : null);
    assertThat(reasonsFor(v)).as("RE2 on '%s'", v).contains(GuardReason.PERSONAL_ID);
  }

  @Test
  void saysWhatItCannotExpress() {
    List<String> lines = new ArrayList<>(Re2Guards.notExpressible());
    assertThat(lines).anyMatch(l -> l.contains("Luhn")).anyMatch(l -> l.contains("entropy"))
        .anyMatch(l -> l.contains("percent"));
  }
}
