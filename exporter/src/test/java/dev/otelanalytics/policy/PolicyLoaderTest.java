package dev.otelanalytics.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyLoaderTest {
  private static final String SOURCE = "inline-policy.yaml";

  private static final String FULL_EXAMPLE =
      """
      version: 1
      events:
        spans: local-root
        span_events: [cache.miss, retry]
      attributes:
        allow:
          - {key: cli.command, why: "which command was run"}
          - key: http.route
            why: "which endpoint is used"
        hash:
          - {key: enduser.id, why: "count distinct users without knowing who they are"}
      resource:
        allow: [service.name, service.version]
      metrics:
        allow: [items.inspected]
        report_interval: 24h
      """;

  @TempDir Path dir;

  private Path write(String yaml) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  private static PrivacyPolicy loadInline(String yaml) throws PolicyException {
    InputStream in = new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8));
    return PolicyLoader.load(in, SOURCE);
  }

  private static void assertFullExample(PrivacyPolicy policy) {
    assertThat(policy.spanSelectors()).containsExactly(PrivacyPolicy.LOCAL_ROOT);
    assertThat(policy.spanEvents()).containsExactly("cache.miss", "retry");
    assertThat(policy.allowedAttributes()).containsOnlyKeys("cli.command", "http.route");
    assertThat(policy.allowedAttributes().get("cli.command").why()).isEqualTo("which command was run");
    assertThat(policy.allowedAttributes().get("http.route").why()).isEqualTo("which endpoint is used");
    assertThat(policy.hashedAttributes()).containsOnlyKeys("enduser.id");
    assertThat(policy.hashedAttributes().get("enduser.id").why())
        .isEqualTo("count distinct users without knowing who they are");
    assertThat(policy.allowedResourceAttributes()).containsOnlyKeys("service.name", "service.version");
    assertThat(policy.allowedMetrics()).containsOnlyKeys("items.inspected");
    assertThat(policy.reportInterval()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void loadsFullExampleFromFile() throws Exception {
    assertFullExample(PolicyLoader.load(write(FULL_EXAMPLE)));
  }

  @Test
  void loadsFullExampleFromStream() throws Exception {
    assertFullExample(loadInline(FULL_EXAMPLE));
  }

  @Test
  void loadsSpanSelectorsGivenAsListOfGlobs() throws Exception {
    PrivacyPolicy policy = loadInline("""
        version: 1
        events:
          spans: ["cli.*", "http.server.?", local-root]
        """);
    assertThat(policy.spanSelectors()).containsExactly("cli.*", "http.server.?", "local-root");
  }

  @Test
  void loadsResourceAndMetricItemsAsKeyWhyMappingsWithoutWhy() throws Exception {
    PrivacyPolicy policy = loadInline("""
        version: 1
        resource:
          allow:
            - {key: service.name}
            - {key: service.version, why: "which version"}
        metrics:
          allow: [{key: items.inspected}]
        """);
    assertThat(policy.allowedResourceAttributes()).containsOnlyKeys("service.name", "service.version");
    assertThat(policy.allowedResourceAttributes().get("service.name").why()).isEqualTo("which of your services or tools sent the event");
    assertThat(policy.allowedResourceAttributes().get("service.version").why()).isEqualTo("which version");
    assertThat(policy.allowedMetrics()).containsOnlyKeys("items.inspected");
  }

  @Test
  void wellKnownResourceKeysListedBareGetTheirReasonInThePrivacyStatement() throws Exception {
    PrivacyPolicy policy = loadInline("version: 1\nresource:\n  allow: [service.name, service.version, os.type]\n");
    String statement = PrivacyStatement.of(policy, "my-cli", "Nowhere", 90, null, null).toMarkdown();
    assertThat(statement).contains("| `os.type` | one word of letters, digits and _ . : + -, at most 64 characters |"
            + " which operating systems to support |",
        "| `service.version` | one word of letters, digits and _ . : + -, at most 64 characters |"
            + " which version is in use, to know when old versions can be retired |")
        .doesNotContain("no reason given");
  }

  @Test
  void anyOtherResourceKeyMustSayWhy() {
    assertThatThrownBy(() -> loadInline("version: 1\nresource:\n  allow: [service.name, team.owner]\n"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("resource.allow[1] 'team.owner': write it as {key: team.owner, why: \"...\"}")
        .hasMessageContaining("service.name, service.version, os.type");
  }

  @Test
  void minimalFileReplacesDefaultPolicyAsAWhole() throws Exception {
    PrivacyPolicy policy = loadInline("version: 1\n");
    assertThat(policy.allowedResourceAttributes()).isEmpty();
    assertThat(policy.allowedAttributes()).isEmpty();
    assertThat(policy.hashedAttributes()).isEmpty();
    assertThat(policy.spanSelectors()).containsExactly(PrivacyPolicy.LOCAL_ROOT);
    assertThat(policy.reportInterval()).isEqualTo(PrivacyPolicy.DEFAULT_REPORT_INTERVAL);
  }

  @Test
  void parsesOtherReportIntervalUnits() throws Exception {
    PrivacyPolicy policy = loadInline("version: 1\nmetrics:\n  report_interval: 90m\n");
    assertThat(policy.reportInterval()).isEqualTo(Duration.ofMinutes(90));
  }

  /** A policy that must be refused: its message must contain "line N" and every fragment. */
  record BadPolicy(String name, String yaml, int line, List<String> fragments) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<BadPolicy> badPolicies() {
    return Stream.of(
        new BadPolicy("empty file", "", 1, List.of("empty", "version: 1")),
        new BadPolicy("version 2", "# comment\nversion: 2\n", 2, List.of("version", "only version 1")),
        new BadPolicy("version as string", "version: \"1\"\n", 1, List.of("version")),
        new BadPolicy("top level not a mapping", "just text\n", 1, List.of("top level must be a mapping")),
        new BadPolicy(
            "unknown top-level key (typo)",
            "version: 1\natributes: {allow: []}\n",
            2,
            List.of("unknown key 'atributes'", "attributes")),
        new BadPolicy(
            "unknown nested key",
            "version: 1\nattributes:\n  alow: []\n",
            3,
            List.of("unknown key 'attributes.alow'", "allow, hash")),
        new BadPolicy(
            "unknown key inside an item",
            "version: 1\nattributes:\n  allow:\n    - {key: cli.command, reason: x}\n",
            4,
            List.of("attributes.allow[0].reason")),
        new BadPolicy(
            "attributes.allow item as a plain string",
            "version: 1\nattributes:\n  allow:\n    - {key: cli.command, why: x}\n    - http.route\n",
            5,
            List.of("attributes.allow[1]", "http.route", "why")),
        new BadPolicy(
            "attributes.hash item as a plain string",
            "version: 1\nattributes:\n  hash: [enduser.id]\n",
            3,
            List.of("attributes.hash[0]", "enduser.id", "why")),
        new BadPolicy(
            "item missing why",
            "version: 1\nattributes:\n  allow:\n    - {key: cli.command, why: x}\n    - {key: http.route}\n",
            5,
            List.of("attributes.allow[1]", "http.route", "missing 'why'")),
        new BadPolicy(
            "item with blank why",
            "version: 1\nattributes:\n  allow:\n    - {key: cli.command, why: \"  \"}\n",
            4,
            List.of("attributes.allow[0]", "missing 'why'")),
        new BadPolicy(
            "item missing key",
            "version: 1\nattributes:\n  allow:\n    - {why: \"because\"}\n",
            4,
            List.of("attributes.allow[0]", "missing 'key'")),
        new BadPolicy(
            "never-kept key in attributes.allow",
            "version: 1\nattributes:\n  allow:\n    - {key: cli.command, why: x}\n    - {key: exception.message, why: y}\n",
            5,
            List.of("attributes.allow[1]", "exception.message", "can never be collected")),
        new BadPolicy(
            "never-kept key in resource.allow",
            "version: 1\nresource:\n  allow: [service.name, client.address]\n",
            3,
            List.of("resource.allow[1]", "client.address", "can never be collected")),
        new BadPolicy(
            "key both allowed and hashed",
            "version: 1\nattributes:\n  allow:\n    - {key: enduser.id, why: x}\n  hash:\n    - {key: enduser.id, why: y}\n",
            6,
            List.of("attributes.hash[0]", "enduser.id", "both to allow and to hash")),
        new BadPolicy(
            "attributes.allow not a list",
            "version: 1\nattributes:\n  allow: cli.command\n",
            3,
            List.of("attributes.allow", "expected a list")),
        new BadPolicy(
            "empty span selection",
            "version: 1\nevents:\n  spans: []\n",
            3,
            List.of("events.spans")),
        new BadPolicy(
            "section that is not a mapping",
            "version: 1\nmetrics: [a]\n",
            2,
            List.of("metrics", "expected a mapping")),
        new BadPolicy(
            "malformed YAML: bad indentation",
            "version: 1\nattributes:\n  allow:\n    - {key: cli.command, why: x}\n   hash:\n    - {key: enduser.id, why: y}\n",
            5,
            List.of("not valid YAML")),
        new BadPolicy(
            "malformed YAML: unclosed bracket",
            "version: 1\nresource:\n  allow: [service.name, service.version\nmetrics:\n  report_interval: 24h\n",
            4,
            List.of("not valid YAML")),
        new BadPolicy(
            "bad report_interval",
            "version: 1\nmetrics:\n  allow: [a.b]\n  report_interval: soon\n",
            4,
            List.of("metrics.report_interval", "24h")),
        new BadPolicy(
            "report_interval below one second",
            "version: 1\nmetrics:\n  report_interval: 0s\n",
            3,
            List.of("metrics.report_interval", "from 1s to 366d")),
        new BadPolicy(
            "report_interval above the setting's maximum",
            "version: 1\nmetrics:\n  report_interval: 400d\n",
            3,
            List.of("metrics.report_interval", "from 1s to 366d")),
        new BadPolicy(
            "report_interval as a bare number",
            "version: 1\nmetrics:\n  report_interval: 24\n",
            3,
            List.of("metrics.report_interval")));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("badPolicies")
  void refusesBadPolicyFileNamingFileLineAndKey(BadPolicy bad) throws Exception {
    Path file = write(bad.yaml());
    assertThatThrownBy(() -> PolicyLoader.load(file))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("policy " + file + ", line " + bad.line() + ":")
        .hasMessageContainingAll(bad.fragments().toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"user.email", "user.name", "user.full_name", "process.owner", "User.Email"})
  void aKeyThatIdentifiesAPersonIsRefusedWithHashingAnIdAsTheWayOut(String key) {
    assertThatThrownBy(() -> loadInline("version: 1\nattributes:\n  allow:\n    - {key: " + key + ", why: \"who uses it\"}\n"))
        .hasMessage("policy " + SOURCE + ", line 4: attributes.allow[0]: attribute '" + key + "' can never be collected, not"
            + " even as a hash (it identifies a person); to count distinct users, hash an id instead: attributes.hash:"
            + " [{key: enduser.id, why: \"count distinct users\"}] in the policy, or OTEL_ANALYTICS_HASHED_ATTRIBUTES=enduser.id");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"client.address", "host.ip", "url.full", "exception.message",
      "process.command_line", "http.request.header.authorization"})
  void otherNeverKeptKeysAreNotSentToHashing(String key) {
    assertThatThrownBy(() -> loadInline("version: 1\nattributes:\n  hash:\n    - {key: " + key + ", why: \"x\"}\n"))
        .hasMessageContaining("can never be collected")
        .hasMessageNotContaining("enduser.id");
  }

  @Test
  void aReportIntervalThatIsNotADurationGetsAnExampleThePolicyAccepts() throws Exception {
    assertThatThrownBy(() -> loadInline("version: 1\nmetrics:\n  report_interval: soon\n"))
        .hasMessageEndingWith("metrics.report_interval: expected a whole number with a unit ms, s, m, h or d (a bare number is milliseconds), from 1s to 366d, e.g. 24h");
    assertThat(loadInline("version: 1\nmetrics:\n  report_interval: 24h\n").reportInterval()).isEqualTo(Duration.ofHours(24));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("badPolicies")
  void refusesBadPolicyStreamNamingSourceLineAndKey(BadPolicy bad) {
    assertThatThrownBy(() -> loadInline(bad.yaml()))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("policy " + SOURCE + ", line " + bad.line() + ":")
        .hasMessageContainingAll(bad.fragments().toArray(String[]::new));
  }

  @Test
  void refusesFileWithoutVersionNamingTheSourceAndKey() throws Exception {
    Path file = write("events:\n  spans: local-root\n");
    assertThatThrownBy(() -> PolicyLoader.load(file))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("missing 'version: 1'");
    assertThatThrownBy(() -> loadInline("events:\n  spans: local-root\n"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining(SOURCE)
        .hasMessageContaining("missing 'version: 1'");
  }

  @Test
  void refusesFileWithoutVersionNamingALine() {
    assertThatThrownBy(() -> loadInline("events:\n  spans: local-root\n"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("line ");
  }

  @Test
  void malformedYamlKeepsTheParserErrorAsCause() {
    assertThatThrownBy(() -> loadInline("version: 1\nresource:\n  allow: [service.name\n"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("not valid YAML")
        .hasCauseInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
  }

  @Test
  void nonexistentFileIsReportedAsNotExisting() {
    Path missing = dir.resolve("no-such-policy.yaml");
    assertThatThrownBy(() -> PolicyLoader.load(missing))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void directoryInsteadOfFileIsRefusedNamingIt() {
    assertThatThrownBy(() -> PolicyLoader.load(dir))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining(dir.toString());
  }

  @Test
  void directoryInsteadOfFileIsReportedAsUnreadable() {
    assertThatThrownBy(() -> PolicyLoader.load(dir))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("cannot be read");
  }

  // --- Line numbers for block-style YAML: the error names a later line than the offending key. ---

  @Test
  void unknownTopLevelKeyInBlockStyleNamesTheKeyLine() {
    String yaml = "version: 1\natributes:\n  allow:\n    - {key: cli.command, why: x}\n";
    assertThatThrownBy(() -> loadInline(yaml))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("line 2:")
        .hasMessageContaining("atributes");
  }

  @Test
  void unknownNestedKeyInBlockStyleNamesTheKeyLine() {
    String yaml = "version: 1\nattributes:\n  alow:\n    - {key: cli.command, why: x}\n";
    assertThatThrownBy(() -> loadInline(yaml))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("line 3:")
        .hasMessageContaining("attributes.alow");
  }

  @Test
  void neverKeptKeyInBlockStyleItemNamesTheItemLine() {
    String yaml =
        "version: 1\nattributes:\n  allow:\n    - key: exception.message\n      why: x\n\n\nresource:\n  allow: [service.name]\n";
    assertThatThrownBy(() -> loadInline(yaml))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("attributes.allow[0]")
        .hasMessageMatching("(?s).*line [45]:.*");
  }

  @Test
  void missingWhyInBlockStyleItemNamesTheItemLine() {
    String yaml =
        "version: 1\nattributes:\n  allow:\n    - key: cli.command\n      why: x\n    - key: http.route\n\nresource:\n  allow: [service.name]\n";
    assertThatThrownBy(() -> loadInline(yaml))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("attributes.allow[1]")
        .hasMessageContaining("line 6:");
  }

  // --- Input the strict reader silently accepts. ---

  @Test
  void refusesASecondYamlDocument() {
    String yaml = "version: 1\n---\nattributes:\n  allow:\n    - {key: cli.command, why: x}\n";
    assertThatThrownBy(() -> loadInline(yaml)).isInstanceOf(PolicyException.class);
  }

  @Test
  void refusesADuplicatedSection() {
    String yaml = "version: 1\nresource:\n  allow: [service.name]\nresource:\n  allow: [host.name]\n";
    assertThatThrownBy(() -> loadInline(yaml)).isInstanceOf(PolicyException.class);
  }
}
