package dev.otelanalytics.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.policy.PrivacyPolicy;
import dev.otelanalytics.testing.Canaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AnalyticsConfigTest {
  private static final String HASH_KEY = "0123456789abcdef-shared-secret-KEY";

  @TempDir Path temp;

  private static Function<String, String> props(String... namesAndValues) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return map::get;
  }

  private static AnalyticsConfig parse(String... namesAndValues) throws InvalidSettingException {
    return AnalyticsConfig.parse(props(namesAndValues));
  }

  private static InvalidSettingException failure(String... namesAndValues) {
    InvalidSettingException e = catchThrowableOfType(InvalidSettingException.class, () -> parse(namesAndValues));
    assertThat(e).as("an InvalidSettingException").isNotNull();
    assertThat(e.getMessage()).as("one line").doesNotContain("\n").doesNotContain("\r");
    return e;
  }

  private static String prefix(String property) {
    return InvalidSettingException.envName(property) + " (-D" + property + ")";
  }

  // ---------------------------------------------------------------- defaults

  @Test
  void defaults() throws Exception {
    AnalyticsConfig config = AnalyticsConfig.parse(name -> null);

    assertThat(config.enabled()).isFalse();
    assertThat(config.services()).isEmpty();
    assertThat(config.level()).isEqualTo(AnalyticsLevel.ANONYMOUS);
    assertThat(config.destination()).isEqualTo(DestinationType.FILE);
    assertThat(config.debug()).isFalse();
    assertThat(config.optOutEnv()).isNull();
    assertThat(config.queueSize()).isEqualTo(16384);
    assertThat(config.batchSize()).isEqualTo(100);
    assertThat(config.flushInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.eventPrefix()).isEmpty();
    assertThat(config.hashKey()).isNull();
    assertThat(config.stateDir()).isNull();
    assertSamePolicy(config.policy(), PrivacyPolicy.defaultPolicy());
  }

  @ParameterizedTest(name = "every setting = \"{0}\"")
  @ValueSource(strings = {"", "   ", "\t"})
  void blankValuesMeanTheDefault(String blank) throws Exception {
    // The hash key is the exception: it is not trimmed (see hashKey tests), so only "" here.
    AnalyticsConfig config = AnalyticsConfig.parse(name -> name.equals(AnalyticsConfig.HASH_KEY) ? "" : blank);

    assertThat(config.toString()).isEqualTo(AnalyticsConfig.parse(name -> null).toString());
    assertThat(config.hashKey()).isNull();
  }

  private static void assertSamePolicy(PrivacyPolicy actual, PrivacyPolicy expected) {
    assertThat(actual.spanSelectors()).isEqualTo(expected.spanSelectors());
    assertThat(actual.spanEvents()).isEqualTo(expected.spanEvents());
    assertThat(actual.allowedAttributes().keySet()).isEqualTo(expected.allowedAttributes().keySet());
    assertThat(actual.hashedAttributes().keySet()).isEqualTo(expected.hashedAttributes().keySet());
    assertThat(actual.allowedResourceAttributes().keySet()).isEqualTo(expected.allowedResourceAttributes().keySet());
    assertThat(actual.allowedMetrics().keySet()).isEqualTo(expected.allowedMetrics().keySet());
    assertThat(actual.reportInterval()).isEqualTo(expected.reportInterval());
    assertThat(actual.toString()).isEqualTo(expected.toString());
  }

  // ---------------------------------------------------------------- good values

  @Test
  void everySettingIsRead() throws Exception {
    AnalyticsConfig config = parse(
        AnalyticsConfig.ENABLED, "TRUE",
        AnalyticsConfig.SERVICES, " cli-app, worker ,,api ",
        AnalyticsConfig.LEVEL, " Local ",
        AnalyticsConfig.DESTINATION, "CONSOLE",
        AnalyticsConfig.DEBUG, "true",
        AnalyticsConfig.OPT_OUT_ENV, "MYCLI_DISABLE_ANALYTICS",
        AnalyticsConfig.EVENT_PREFIX, "cf:",
        AnalyticsConfig.HASH_KEY, HASH_KEY,
        AnalyticsConfig.STATE_DIR, "/var/lib/my-cli/state",
        AnalyticsConfig.QUEUE_SIZE, " 10 ",
        AnalyticsConfig.BATCH_SIZE, "7",
        AnalyticsConfig.FLUSH_INTERVAL, "250ms",
        AnalyticsConfig.SHUTDOWN_TIMEOUT, "0");

    assertThat(config.enabled()).isTrue();
    assertThat(config.services()).containsExactly("cli-app", "worker", "api");
    assertThat(config.level()).isEqualTo(AnalyticsLevel.LOCAL);
    assertThat(config.destination()).isEqualTo(DestinationType.CONSOLE);
    assertThat(config.debug()).isTrue();
    assertThat(config.optOutEnv()).isEqualTo("MYCLI_DISABLE_ANALYTICS");
    assertThat(config.eventPrefix()).isEqualTo("cf:");
    assertThat(config.hashKey()).isEqualTo(HASH_KEY.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(config.stateDir()).isEqualTo(Paths.get("/var/lib/my-cli/state"));
    assertThat(config.queueSize()).isEqualTo(10);
    assertThat(config.batchSize()).isEqualTo(7);
    assertThat(config.flushInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ZERO);
  }

  @Test
  void staticReadersLookAtTheirOwnSettingOnly() throws Exception {
    Function<String, String> props = props(
        AnalyticsConfig.ENABLED, "true",
        AnalyticsConfig.SERVICES, "a,b",
        AnalyticsConfig.QUEUE_SIZE, "not a number");

    assertThat(AnalyticsConfig.isEnabled(props)).isTrue();
    assertThat(AnalyticsConfig.services(props)).containsExactly("a", "b");
    assertThat(AnalyticsConfig.isEnabled(name -> null)).isFalse();
    assertThat(AnalyticsConfig.services(name -> null)).isEmpty();
    assertThatThrownBy(() -> AnalyticsConfig.isEnabled(props(AnalyticsConfig.ENABLED, "yes")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("OTEL_ANALYTICS_ENABLED (-Dotel.analytics.enabled) is 'yes'");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
    "1         | 1",
    "1000000   | 1000000",
    "' 42 '    | 42",
    "+5        | 5", // Integer.parseInt accepts a leading plus sign
  })
  void queueSizeAcceptedValues(String value, int expected) throws Exception {
    assertThat(parse(AnalyticsConfig.QUEUE_SIZE, value).queueSize()).isEqualTo(expected);
  }

  /** Recorded behaviour of duration parsing (flush interval allows 1ms..1d). */
  @ParameterizedTest(name = "flush interval \"{0}\" = {1}")
  @CsvSource(delimiter = '|', value = {
    "500ms     | PT0.5S",
    "5s        | PT5S",
    "2m        | PT2M",
    "1h        | PT1H",
    "1d        | PT24H",
    "24h       | PT24H",
    "250       | PT0.25S",
    "1         | PT0.001S",
    "1ms       | PT0.001S",
    "' 5 s '   | PT5S",
    "'5 s'     | PT5S",
    "5S        | PT5S",
    "1MS       | PT0.001S",
    "' 250 '   | PT0.25S",
    "86400000  | PT24H",
    "0001s     | PT1S",
  })
  void durationParsing(String value, Duration expected) throws Exception {
    assertThat(parse(AnalyticsConfig.FLUSH_INTERVAL, value).flushInterval()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "shutdown timeout \"{0}\" = {1}")
  @CsvSource(delimiter = '|', value = {
    "0      | PT0S",
    "0ms    | PT0S",
    "0s     | PT0S",
    "1m     | PT1M",
    "60s    | PT1M",
    "60000  | PT1M",
  })
  void shutdownTimeoutRange(String value, Duration expected) throws Exception {
    assertThat(parse(AnalyticsConfig.SHUTDOWN_TIMEOUT, value).shutdownTimeout()).isEqualTo(expected);
  }

  // ---------------------------------------------------------------- bad values

  static Stream<Arguments> badValues() {
    String accepted = "a whole number with a unit ms, s, m, h or d (a bare number is milliseconds)";
    return Stream.of(
        Arguments.of(AnalyticsConfig.ENABLED, "yes", "true or false"),
        Arguments.of(AnalyticsConfig.ENABLED, "1", "true or false"),
        Arguments.of(AnalyticsConfig.ENABLED, "on", "true or false"),
        Arguments.of(AnalyticsConfig.DEBUG, "verbose", "true or false"),
        Arguments.of(AnalyticsConfig.DEBUG, "0", "true or false"),
        Arguments.of(AnalyticsConfig.LEVEL, "none", "off, local or anonymous"),
        Arguments.of(AnalyticsConfig.LEVEL, "full", "off, local or anonymous"),
        Arguments.of(AnalyticsConfig.LEVEL, "true", "off, local or anonymous"),
        Arguments.of(AnalyticsConfig.DESTINATION, "stdout", "file, console, posthog or ga4"),
        Arguments.of(AnalyticsConfig.DESTINATION, "otlp", "file, console, posthog or ga4"),
        Arguments.of(AnalyticsConfig.DESTINATION, "file,console", "file, console, posthog or ga4"),
        Arguments.of(AnalyticsConfig.OPT_OUT_ENV, "MY-CLI-OPT-OUT", "the name of an environment variable"),
        Arguments.of(AnalyticsConfig.OPT_OUT_ENV, "1ABC", "the name of an environment variable"),
        Arguments.of(AnalyticsConfig.OPT_OUT_ENV, "$HOME", "the name of an environment variable"),
        Arguments.of(AnalyticsConfig.OPT_OUT_ENV, "A B", "the name of an environment variable"),
        Arguments.of(AnalyticsConfig.EVENT_PREFIX, "has space", "1 to 32 letters or _ . : $ -"),
        Arguments.of(AnalyticsConfig.EVENT_PREFIX, "a/b", "1 to 32 letters or _ . : $ -"),
        Arguments.of(AnalyticsConfig.EVENT_PREFIX, "x".repeat(33), "1 to 32 letters or _ . : $ -"),
        Arguments.of(AnalyticsConfig.EVENT_PREFIX, "caf\u00e9", "1 to 32 letters or _ . : $ -"),
        Arguments.of(AnalyticsConfig.STATE_DIR, "bad\u0000path", "a directory path"),
        Arguments.of(AnalyticsConfig.POLICY_FILE, "bad\u0000policy.yaml", "a file path"),
        Arguments.of(AnalyticsConfig.QUEUE_SIZE, "0", "a whole number from 1 to 1000000, e.g. 16384 (the default)"),
        Arguments.of(AnalyticsConfig.QUEUE_SIZE, "-1", "a whole number from 1 to 1000000, e.g. 16384 (the default)"),
        Arguments.of(AnalyticsConfig.QUEUE_SIZE, "1000001", "a whole number from 1 to 1000000, e.g. 16384 (the default)"),
        Arguments.of(AnalyticsConfig.QUEUE_SIZE, "99999999999", "a whole number from 1 to 1000000, e.g. 16384 (the default)"),
        Arguments.of(AnalyticsConfig.QUEUE_SIZE, "lots", "a whole number from 1 to 1000000, e.g. 16384 (the default)"),
        Arguments.of(AnalyticsConfig.QUEUE_SIZE, "1e3", "a whole number from 1 to 1000000, e.g. 16384 (the default)"),
        Arguments.of(AnalyticsConfig.QUEUE_SIZE, "2048.0", "a whole number from 1 to 1000000, e.g. 16384 (the default)"),
        Arguments.of(AnalyticsConfig.QUEUE_SIZE, "2 048", "a whole number from 1 to 1000000, e.g. 16384 (the default)"),
        Arguments.of(AnalyticsConfig.BATCH_SIZE, "0", "a whole number from 1 to 10000, e.g. 100 (the default)"),
        Arguments.of(AnalyticsConfig.BATCH_SIZE, "10001", "a whole number from 1 to 10000, e.g. 100 (the default)"),
        Arguments.of(AnalyticsConfig.BATCH_SIZE, "ten", "a whole number from 1 to 10000, e.g. 100 (the default)"),
        Arguments.of(AnalyticsConfig.FLUSH_INTERVAL, "0", accepted + ", from 1ms to 1d, e.g. 5s (the default)"),
        Arguments.of(AnalyticsConfig.FLUSH_INTERVAL, "0s", "from 1ms to 1d"),
        Arguments.of(AnalyticsConfig.FLUSH_INTERVAL, "2d", "from 1ms to 1d"),
        Arguments.of(AnalyticsConfig.FLUSH_INTERVAL, "25h", "from 1ms to 1d"),
        Arguments.of(AnalyticsConfig.FLUSH_INTERVAL, "999999999999d", "from 1ms to 1d"),
        Arguments.of(AnalyticsConfig.FLUSH_INTERVAL, "5 seconds", accepted),
        Arguments.of(AnalyticsConfig.FLUSH_INTERVAL, "1.5s", accepted),
        Arguments.of(AnalyticsConfig.FLUSH_INTERVAL, "-5s", accepted),
        Arguments.of(AnalyticsConfig.FLUSH_INTERVAL, "5x", accepted),
        Arguments.of(AnalyticsConfig.FLUSH_INTERVAL, "s", accepted),
        Arguments.of(AnalyticsConfig.FLUSH_INTERVAL, "PT5S", accepted),
        Arguments.of(AnalyticsConfig.FLUSH_INTERVAL, "1h30m", accepted),
        Arguments.of(AnalyticsConfig.FLUSH_INTERVAL, "1234567890123", accepted), // 13 digits
        Arguments.of(AnalyticsConfig.SHUTDOWN_TIMEOUT, "2m", "from 0 to 1m"),
        Arguments.of(AnalyticsConfig.SHUTDOWN_TIMEOUT, "61s", "from 0 to 1m"),
        Arguments.of(AnalyticsConfig.SHUTDOWN_TIMEOUT, "1h", "from 0 to 1m"),
        Arguments.of(AnalyticsConfig.SHUTDOWN_TIMEOUT, "forever", accepted),
        Arguments.of(AnalyticsConfig.SHUTDOWN_TIMEOUT, "-1", accepted));
  }

  @ParameterizedTest(name = "{0} = \"{1}\"")
  @MethodSource("badValues")
  void aBadValueNamesTheSettingTheValueAndWhatIsAccepted(String property, String value, String accepted) {
    InvalidSettingException e = failure(property, value);

    assertThat(e.property()).isEqualTo(property);
    assertThat(e.getMessage())
        // Control characters are shown as '?' so the message stays one line.
        .startsWith(prefix(property) + " is '" + value.replace('\u0000', '?') + "'")
        .contains("expected")
        .contains(accepted);
  }

  @Test
  void theDocumentedMessageFormat() {
    assertThat(failure(AnalyticsConfig.BATCH_SIZE, "0").getMessage())
        .isEqualTo("OTEL_ANALYTICS_BATCH_SIZE (-Dotel.analytics.batch.size) is '0': "
            + "expected a whole number from 1 to 10000, e.g. 100 (the default)");
  }

  @Test
  void theEchoedValueIsTrimmed() {
    assertThat(failure(AnalyticsConfig.LEVEL, "  none \n").getMessage())
        .startsWith("OTEL_ANALYTICS_LEVEL (-Dotel.analytics.level) is 'none': ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ga4", "GA4"})
  void ga4NeedsItsMeasurementIdAndSecretAndSaysWhereToFindThem(String value) throws Exception {
    InvalidSettingException noId = failure(AnalyticsConfig.DESTINATION, value);
    assertThat(noId.getMessage()).startsWith("OTEL_EXPORTER_GA4_MEASUREMENT_ID (-Dotel.exporter.ga4.measurement.id)")
        .contains("Admin > Data streams");
    InvalidSettingException noSecret = failure(AnalyticsConfig.DESTINATION, value, AnalyticsConfig.GA4_MEASUREMENT_ID, "G-TEST123");
    assertThat(noSecret.getMessage()).startsWith("OTEL_EXPORTER_GA4_API_SECRET").contains("Measurement Protocol API secrets");
    assertThat(parse(AnalyticsConfig.DESTINATION, value, AnalyticsConfig.GA4_MEASUREMENT_ID, "G-TEST123",
        AnalyticsConfig.GA4_API_SECRET, "s3cr3tValue").ga4Destination()).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"FILE", "File", " file "})
  void destinationIsCaseInsensitive(String value) throws Exception {
    assertThat(parse(AnalyticsConfig.DESTINATION, value).destination()).isEqualTo(DestinationType.FILE);
  }

  // ---------------------------------------------------------------- hash key

  @ParameterizedTest(name = "{0} characters")
  @ValueSource(ints = {1, 8, 15})
  void aShortHashKeyIsRejectedWithoutEchoingIt(int length) {
    String key = "Zq".repeat(8).substring(0, length);

    InvalidSettingException e = failure(AnalyticsConfig.HASH_KEY, key);

    assertThat(e.property()).isEqualTo(AnalyticsConfig.HASH_KEY);
    assertThat(e.getMessage())
        .startsWith("OTEL_ANALYTICS_HASH_KEY (-Dotel.analytics.hash.key)")
        .contains("16")
        .doesNotContain("'" + key + "'");
    if (length >= 2) {
      assertThat(e.getMessage()).doesNotContain(key);
    }
  }

  @Test
  void aShortSecretLookingHashKeyIsNotEchoed() {
    InvalidSettingException e = failure(AnalyticsConfig.HASH_KEY, "s3cr3tT0k3n");

    Canaries.assertNoCanary(e.getMessage());
    assertThat(e.getMessage()).doesNotContain("s3cr3tT0k3n");
  }

  @Test
  void a16CharacterHashKeyIsAccepted() throws Exception {
    assertThat(parse(AnalyticsConfig.HASH_KEY, "0123456789abcdef").hashKey())
        .isEqualTo("0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void hashKeyIsReturnedAsACopy() throws Exception {
    AnalyticsConfig config = parse(AnalyticsConfig.HASH_KEY, HASH_KEY);

    config.hashKey()[0] = 'X';

    assertThat(config.hashKey()[0]).isEqualTo((byte) HASH_KEY.charAt(0));
  }

  @Test
  void aBlankHashKeyIsNeverUsedAsAKey() {
    String blank = " ".repeat(16);
    try {
      assertThat(parse(AnalyticsConfig.HASH_KEY, blank).hashKey()).isNull();
    } catch (InvalidSettingException expected) {
      assertThat(expected.getMessage()).startsWith("OTEL_ANALYTICS_HASH_KEY");
    }
  }

  @Test
  void toStringNeverContainsTheHashKey() throws Exception {
    AnalyticsConfig config = parse(AnalyticsConfig.HASH_KEY, HASH_KEY, AnalyticsConfig.ENABLED, "true");

    assertThat(config.toString())
        .doesNotContain(HASH_KEY)
        .doesNotContain(HASH_KEY.substring(0, 16))
        .doesNotContain("shared-secret")
        .contains("<redacted>");
    assertThat(parse().toString()).contains("per-install");
  }

  // ---------------------------------------------------------------- policy settings

  @Test
  void allowedAndHashedAttributesAddToTheDefaultPolicy() throws Exception {
    PrivacyPolicy policy = parse(
        AnalyticsConfig.ALLOWED_ATTRIBUTES, "cli.command, cli.exit_code",
        AnalyticsConfig.HASHED_ATTRIBUTES, "enduser.id").policy();

    assertThat(policy.allowedAttributes()).containsOnlyKeys("cli.command", "cli.exit_code");
    assertThat(policy.hashedAttributes()).containsOnlyKeys("enduser.id");
    assertThat(policy.allowedAttributes().get("cli.command").why()).contains("OTEL_ANALYTICS_ALLOWED_ATTRIBUTES");
    assertThat(policy.hashedAttributes().get("enduser.id").why()).contains("OTEL_ANALYTICS_HASHED_ATTRIBUTES");
    assertThat(policy.allowedResourceAttributes().keySet())
        .isEqualTo(PrivacyPolicy.defaultPolicy().allowedResourceAttributes().keySet());
    assertThat(policy.spanSelectors()).containsExactly(PrivacyPolicy.LOCAL_ROOT);
  }

  @Test
  void eventsOverridesTheSpanSelection() throws Exception {
    PrivacyPolicy policy = parse(AnalyticsConfig.EVENTS, "cli.*, http.request ,local-root").policy();

    assertThat(policy.spanSelectors()).containsExactly("cli.*", "http.request", "local-root");
  }

  @Test
  void eventsWithOnlyCommasKeepsTheDefaultSelection() throws Exception {
    assertThat(parse(AnalyticsConfig.EVENTS, " , ,").policy().spanSelectors()).containsExactly(PrivacyPolicy.LOCAL_ROOT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"exception.message", "url.full", "URL.FULL", "db.statement", "client.address",
      "http.request.header.authorization", "user_agent.original"})
  void aNeverKeptKeyInAllowedAttributesIsRejected(String key) {
    InvalidSettingException e = failure(AnalyticsConfig.ALLOWED_ATTRIBUTES, "cli.command," + key);

    assertThat(e.property()).isEqualTo(AnalyticsConfig.ALLOWED_ATTRIBUTES);
    assertThat(e.getMessage())
        .startsWith("OTEL_ANALYTICS_ALLOWED_ATTRIBUTES (-Dotel.analytics.allowed.attributes)")
        .contains(key)
        .contains("can never be collected");
  }

  @Test
  void anEmailInAllowedAttributesPointsToHashingAnId() {
    assertThat(failure(AnalyticsConfig.ALLOWED_ATTRIBUTES, "user.email").getMessage())
        .startsWith("OTEL_ANALYTICS_ALLOWED_ATTRIBUTES (-Dotel.analytics.allowed.attributes): attribute 'user.email'")
        .endsWith("or OTEL_ANALYTICS_HASHED_ATTRIBUTES=enduser.id");
  }

  @Test
  void aNeverKeptKeyInHashedAttributesIsRejected() {
    InvalidSettingException e = failure(AnalyticsConfig.HASHED_ATTRIBUTES, "client.address");

    assertThat(e.getMessage())
        .startsWith("OTEL_ANALYTICS_HASHED_ATTRIBUTES (-Dotel.analytics.hashed.attributes)")
        .contains("client.address");
  }

  @Test
  void aKeyBothAllowedAndHashedIsRejected() {
    InvalidSettingException e = failure(
        AnalyticsConfig.ALLOWED_ATTRIBUTES, "enduser.id", AnalyticsConfig.HASHED_ATTRIBUTES, "enduser.id");

    assertThat(e.getMessage()).startsWith("OTEL_ANALYTICS_HASHED_ATTRIBUTES").contains("enduser.id").contains("both");
  }

  @Test
  void aPolicyFileIsLoadedAndTheSettingsAddToIt() throws Exception {
    Path file = Files.writeString(temp.resolve("policy.yaml"), """
        version: 1
        events:
          spans: [cli.*]
        attributes:
          allow:
            - {key: cli.command, why: "which command was run"}
          hash:
            - {key: enduser.id, why: "count distinct users"}
        resource:
          allow: [service.name]
        metrics:
          allow: [items.inspected]
          report_interval: 12h
        """);

    PrivacyPolicy fromFile = parse(AnalyticsConfig.POLICY_FILE, file.toString()).policy();
    PrivacyPolicy withSettings = parse(
        AnalyticsConfig.POLICY_FILE, file.toString(),
        AnalyticsConfig.ALLOWED_ATTRIBUTES, "cli.exit_code",
        AnalyticsConfig.EVENTS, "local-root").policy();

    assertThat(fromFile.spanSelectors()).containsExactly("cli.*");
    assertThat(fromFile.allowedAttributes()).containsOnlyKeys("cli.command");
    assertThat(fromFile.allowedAttributes().get("cli.command").why()).isEqualTo("which command was run");
    assertThat(fromFile.hashedAttributes()).containsOnlyKeys("enduser.id");
    assertThat(fromFile.allowedResourceAttributes()).as("the file replaces the built-in policy").containsOnlyKeys("service.name");
    assertThat(fromFile.allowedMetrics()).containsOnlyKeys("items.inspected");
    assertThat(fromFile.reportInterval()).isEqualTo(Duration.ofHours(12));
    assertThat(withSettings.allowedAttributes()).containsOnlyKeys("cli.command", "cli.exit_code");
    assertThat(withSettings.spanSelectors()).containsExactly("local-root");
  }

  @Test
  void aMissingPolicyFileIsReportedUnderPolicyFile() {
    Path missing = temp.resolve("no-such-policy.yaml");

    InvalidSettingException e = failure(AnalyticsConfig.POLICY_FILE, missing.toString());

    assertThat(e.property()).isEqualTo(AnalyticsConfig.POLICY_FILE);
    assertThat(e.getMessage())
        .startsWith("OTEL_ANALYTICS_POLICY_FILE (-Dotel.analytics.policy.file)")
        .contains(missing.toString())
        .contains("does not exist");
  }

  static Stream<Arguments> badPolicyFiles() {
    return Stream.of(
        Arguments.of("version: 1\nattributes:\n  allow:\n    - {key: exception.message, why: \"x\"}\n",
            "exception.message"),
        Arguments.of("version: 1\nattributes:\n  allow:\n    - cli.command\n", "why"),
        Arguments.of("version: 1\nunknown_section: true\n", "unknown_section"),
        Arguments.of("version: 2\n", "version"),
        Arguments.of("events:\n  spans: local-root\n", "version: 1"),
        Arguments.of("", "empty"),
        Arguments.of("version: 1\nevents: \"unterminated\n", "not valid YAML"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("badPolicyFiles")
  void aBadPolicyFileIsReportedUnderPolicyFile(String content, String expected) throws Exception {
    Path file = Files.writeString(temp.resolve("policy.yaml"), content);

    InvalidSettingException e = failure(AnalyticsConfig.POLICY_FILE, file.toString());

    assertThat(e.property()).isEqualTo(AnalyticsConfig.POLICY_FILE);
    assertThat(e.getMessage())
        .startsWith("OTEL_ANALYTICS_POLICY_FILE (-Dotel.analytics.policy.file): ")
        .contains(file.toString())
        .contains(expected);
  }

  @Test
  void aPolicyFileThatIsADirectoryIsReported() {
    InvalidSettingException e = failure(AnalyticsConfig.POLICY_FILE, temp.toString());

    assertThat(e.getMessage()).startsWith("OTEL_ANALYTICS_POLICY_FILE (-Dotel.analytics.policy.file): ");
  }

  @Test
  void envNameMapping() {
    assertThat(InvalidSettingException.envName(AnalyticsConfig.QUEUE_SIZE)).isEqualTo("OTEL_ANALYTICS_QUEUE_SIZE");
    assertThat(InvalidSettingException.envName(AnalyticsConfig.OPT_OUT_ENV)).isEqualTo("OTEL_ANALYTICS_OPT_OUT_ENV");
    assertThat(InvalidSettingException.envName("otel.analytics.a-b")).isEqualTo("OTEL_ANALYTICS_A_B");
  }

  // ---------------------------------------------------------------- one line

  static Stream<Arguments> valuesWithLineBreaks() {
    return Stream.of(
        Arguments.of(AnalyticsConfig.LEVEL, "loc\nal"),
        Arguments.of(AnalyticsConfig.QUEUE_SIZE, "20\r\n48"),
        Arguments.of(AnalyticsConfig.DESTINATION, "file\nINFO: forged log line"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valuesWithLineBreaks")
  void aValueWithALineBreakStillGivesAOneLineMessage(String property, String value) {
    failure(property, value); // asserts one line
  }

  @Test
  void policyErrorsAreAlwaysOneLineForOrdinaryFiles() throws Exception {
    // A multi-line YAML error from the parser is cut to its first line.
    Path file = Files.writeString(temp.resolve("bad.yaml"), "version: 1\nevents: {spans: [\"a\", \n  - b\n");

    failure(AnalyticsConfig.POLICY_FILE, file.toString());
  }

  @Test
  void servicesListIgnoresEmptyItems() throws Exception {
    assertThat(parse(AnalyticsConfig.SERVICES, ",a,, b ,").services()).isEqualTo(List.of("a", "b"));
  }
}
