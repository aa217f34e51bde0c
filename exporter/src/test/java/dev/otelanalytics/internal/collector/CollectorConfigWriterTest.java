package dev.otelanalytics.internal.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.otelanalytics.internal.scrub.KeyedHasher;
import dev.otelanalytics.policy.PolicyLoader;
import dev.otelanalytics.policy.PrivacyPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The gateway configuration says exactly what the policy says, in the Collector's terms. */
class CollectorConfigWriterTest {
  private static final List<String> MAPPER_KEYS = List.of("analytics.event", "error.type", "http.response.status_code",
      "http.status_code");
  private static final Pattern KEEP_KEYS = Pattern.compile("^keep_keys\\(([a-z]+)\\.attributes, \\[(.*)\\]\\)( where .*)?$");
  private static final Pattern OTTL_STRING = Pattern.compile("\"((?:\\\\.|[^\\\\\"])*)\"");

  static PrivacyPolicy example() throws Exception {
    return PolicyLoader.load(Paths.get("..", "collector-config", "policy.yaml"));
  }

  /** The configuration as the Collector reads it: YAML, then {@code $$} read as {@code $}. */
  static JsonNode parse(String yaml) throws Exception {
    return new YAMLMapper().readTree(yaml.replace("$$", "$"));
  }

  static List<String> texts(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The string literals of an OTTL statement, unquoted as OTTL (Go) unquotes them. */
  static List<String> ottlStrings(String statement) {
    List<String> out = new ArrayList<>();
    Matcher m = OTTL_STRING.matcher(statement);
    while (m.find()) {
      out.add(m.group(1).replaceAll("\\\\(.)", "$1"));
    }
    return out;
  }

  /** The keys the keep_keys statement of {@code context} with {@code condition} (null: none) keeps. */
  static List<String> keptIn(JsonNode statements, String context, String condition) {
    for (JsonNode group : statements) {
      if (!group.path("context").asText().equals(context)) {
        continue;
      }
      for (String statement : texts(group.path("statements"))) {
        Matcher m = KEEP_KEYS.matcher(statement);
        if (m.matches() && (condition == null ? m.group(3) == null : (" where " + condition).equals(m.group(3)))) {
          return ottlStrings(m.group(2));
        }
      }
    }
    throw new AssertionError("no keep_keys in " + context + " where " + condition);
  }

  @Test
  void theRedactionAllowListIsExactlyThePolicysKeysAndWhatTheMappingReads() throws Exception {
    JsonNode config = parse(CollectorConfigWriter.write(example(), "collector-config/policy.yaml", "regenerate"));
    List<String> expected = new ArrayList<>(List.of("http.route", "http.request.method", "http.response.status_code",
        "app.order.channel", "enduser.id"));
    for (String k : MAPPER_KEYS) {
      if (!expected.contains(k)) {
        expected.add(k);
      }
    }
    expected.addAll(List.of("exception.type", "service.name", "service.version", "telemetry.sdk.language"));

    JsonNode processors = config.path("processors");
    assertThat(processors.path("redaction").path("allow_all_keys").asBoolean(true)).isFalse();
    assertThat(texts(processors.path("redaction").path("allowed_keys"))).containsExactlyElementsOf(expected);
    assertThat(texts(processors.path("redaction").path("ignored_keys"))).containsExactly("enduser.id");
    assertThat(processors.path("redaction").path("summary").asText()).isEqualTo("silent");
    assertThat(processors.path("redaction").path("redact_all_types").asBoolean()).isTrue();
    assertThat(processors.path("redaction/hash").path("allow_all_keys").asBoolean(true)).isFalse();
    assertThat(texts(processors.path("redaction/hash").path("allowed_keys"))).containsExactlyElementsOf(expected);
    assertThat(texts(processors.path("redaction/hash").path("blocked_key_patterns"))).containsExactly("^enduser\\.id\\z");
    assertThat(processors.path("redaction/hash").path("blocked_values").isMissingNode()).isTrue();
  }

  @Test
  void eachPlaceKeepsOnlyTheKeysThePolicyListsThere() throws Exception {
    JsonNode transform = parse(CollectorConfigWriter.write(example(), "p", "r")).path("processors").path("transform");
    JsonNode traces = transform.path("trace_statements");
    JsonNode metrics = transform.path("metric_statements");
    List<String> resource = List.of("service.name", "service.version", "telemetry.sdk.language");
    assertThat(keptIn(traces, "resource", null)).containsExactlyElementsOf(resource);
    assertThat(keptIn(metrics, "resource", null)).containsExactlyElementsOf(resource);
    assertThat(keptIn(traces, "span", null)).containsExactly("http.route", "http.request.method", "http.response.status_code",
        "app.order.channel", "enduser.id", "analytics.event", "error.type", "http.status_code");
    assertThat(keptIn(traces, "spanevent", "spanevent.name == \"exception\"")).containsExactly("exception.type");
    // Data points: the allowed attributes only, never a hashed one (a series per user would count each person).
    assertThat(keptIn(metrics, "datapoint", null)).containsExactly("http.route", "http.request.method",
        "http.response.status_code", "app.order.channel");
    assertThat(texts(group(traces, "span"))).contains("set(span.status.message, \"\")", "set(span.links, nil)",
        "set(span.trace_state, \"\")");
    assertThat(texts(group(metrics, "datapoint"))).contains("set(datapoint.exemplars, nil)");
    assertThat(transform.path("error_mode").asText()).isEqualTo("propagate");
  }

  @Test
  void maskedValuesAreRemovedAndHashesCutToTheJavaLengthAndMarked() throws Exception {
    JsonNode span = group(parse(CollectorConfigWriter.write(example(), "p", "r")).path("processors").path("transform")
        .path("trace_statements"), "span");
    assertThat(texts(span))
        .contains("delete_key(span.attributes, \"http.route\") where span.attributes[\"http.route\"] == \"****\"")
        .contains("set(span.attributes[\"enduser.id\"], Concat([\"hmac:\", Substring(span.attributes[\"enduser.id\"], 0, 32)], \"\"))"
            + " where IsMatch(span.attributes[\"enduser.id\"], \"^[0-9a-f]{64}\\\\z\")")
        .contains("delete_key(span.attributes, \"enduser.id\") where span.attributes[\"enduser.id\"] != nil"
            + " and not IsMatch(span.attributes[\"enduser.id\"], \"^hmac:[0-9a-f]{32}\\\\z\")")
        .noneMatch(s -> s.contains("\"enduser.id\"] == \"****\""));
  }

  /**
   * The gateway and the relay agree on the mark: what the transform keeps under a hashed key (the
   * pattern of its delete_key statement, RE2 read as Java reads it) is exactly what the relay
   * takes as a gateway's hash, and the relay gets back the Java hash.
   */
  @Test
  void theGatewaysMarkedHashIsWhatTheRelayKeeps() throws Exception {
    String keep = texts(group(parse(CollectorConfigWriter.write(example(), "p", "r")).path("processors").path("transform")
        .path("trace_statements"), "span")).stream()
        .filter(t -> t.startsWith("delete_key(span.attributes, \"enduser.id\") where"))
        .map(t -> ottlStrings(t).get(3)).findFirst().orElseThrow();
    assertThat(keep).isEqualTo("^hmac:[0-9a-f]{32}\\z");
    Pattern kept = Pattern.compile(keep);
    KeyedHasher hasher = new KeyedHasher("0123456789abcdef0123456789abcdef-key".getBytes(StandardCharsets.UTF_8));
    String marked = KeyedHasher.GATEWAY_MARK + hasher.hash("user-42");
    assertThat(kept.matcher(marked).find()).isTrue();
    assertThat(KeyedHasher.gatewayHash(marked)).isEqualTo(hasher.hash("user-42"));
    for (String other : List.of(hasher.hash("user-42"), marked + "0", marked.toUpperCase(java.util.Locale.ROOT),
        "x" + marked, marked.substring(0, marked.length() - 1), KeyedHasher.GATEWAY_MARK + "g" + marked.substring(6))) {
      assertThat(kept.matcher(other).find()).as(other).isFalse();
      assertThat(KeyedHasher.gatewayHash(other)).as(other).isNull();
    }
  }

  @Test
  void maskedResourceValuesAreRemovedInTracesAndMetrics() throws Exception {
    JsonNode transform = parse(CollectorConfigWriter.write(example(), "p", "r")).path("processors").path("transform");
    for (String signal : List.of("trace_statements", "metric_statements")) {
      assertThat(texts(group(transform.path(signal), "resource")))
          .contains("delete_key(resource.attributes, \"service.name\") where resource.attributes[\"service.name\"] == \"****\"",
              "delete_key(resource.attributes, \"service.version\") where resource.attributes[\"service.version\"] == \"****\"",
              "delete_key(resource.attributes, \"telemetry.sdk.language\")"
                  + " where resource.attributes[\"telemetry.sdk.language\"] == \"****\"");
    }
  }

  @Test
  void scopesAreClearedInTracesAndMetricsAndMetricDescriptionsAndUnits() throws Exception {
    JsonNode transform = parse(CollectorConfigWriter.write(example(), "p", "r")).path("processors").path("transform");
    for (String signal : List.of("trace_statements", "metric_statements")) {
      assertThat(texts(group(transform.path(signal), "scope")))
          .containsExactly("set(scope.name, \"\")", "set(scope.version, \"\")", "keep_keys(scope.attributes, [])");
    }
    assertThat(texts(group(transform.path("metric_statements"), "metric")))
        .containsExactly("set(metric.description, \"\")", "set(metric.unit, \"\")");
    assertThat(contexts(transform.path("trace_statements"))).containsExactly("resource", "scope", "span", "spanevent");
    assertThat(contexts(transform.path("metric_statements"))).containsExactly("resource", "scope", "metric", "datapoint");
  }

  /**
   * Before any redaction processor: each key kept in a place is removed there when its value is
   * none of string, int, double, bool or list (so bytes, a map, or empty), which the redaction
   * processors would pass (bytes are checked as base64) or hash (a hashed key).
   */
  @Test
  void keptKeysHoldingBytesOrAMapAreRemovedEverywhereBeforeRedaction() throws Exception {
    PrivacyPolicy policy = example().toBuilder().addSpanEvent("cache.miss").build();
    JsonNode types = parse(CollectorConfigWriter.write(policy, "p", "r")).path("processors").path("transform/types");
    assertThat(types.path("error_mode").asText()).isEqualTo("propagate");
    GatewayKeys keys = GatewayKeys.of(policy);
    assertThat(removedByType(group(types.path("trace_statements"), "resource"), "resource")).isEqualTo(keys.resource());
    assertThat(removedByType(group(types.path("trace_statements"), "span"), "span")).isEqualTo(keys.span())
        .contains("enduser.id");
    assertThat(removedByType(group(types.path("trace_statements"), "spanevent"), "spanevent"))
        .containsExactlyInAnyOrderElementsOf(keys.anyEvent()).contains("exception.type", "enduser.id", "http.route");
    assertThat(removedByType(group(types.path("metric_statements"), "resource"), "resource")).isEqualTo(keys.resource());
    assertThat(removedByType(group(types.path("metric_statements"), "datapoint"), "datapoint")).isEqualTo(keys.dataPoint());
    assertThat(contexts(types.path("trace_statements"))).containsExactly("resource", "span", "spanevent");
    assertThat(contexts(types.path("metric_statements"))).containsExactly("resource", "datapoint");
  }

  @Test
  void aPlaceWithNoKeptKeyHasNoTypeGroup() throws Exception {
    JsonNode types = parse(CollectorConfigWriter.write(PrivacyPolicy.defaultPolicy(), "p", "r")).path("processors")
        .path("transform/types");
    assertThat(contexts(types.path("metric_statements"))).containsExactly("resource");
  }

  /** The keys whose non-scalar values the statements remove, checking that each statement is the exact type test. */
  private static List<String> removedByType(JsonNode statements, String context) {
    List<String> keys = new ArrayList<>();
    for (String statement : texts(statements)) {
      String key = ottlStrings(statement).get(0);
      String value = context + ".attributes[" + Ottl.string(key) + "]";
      assertThat(statement).isEqualTo("delete_key(" + context + ".attributes, " + Ottl.string(key) + ") where not (IsString("
          + value + ") or IsInt(" + value + ") or IsDouble(" + value + ") or IsBool(" + value + ") or IsList(" + value + "))");
      keys.add(key);
    }
    return keys;
  }

  /** The statements of the first group for {@code context}. */
  private static JsonNode group(JsonNode groups, String context) {
    for (JsonNode group : groups) {
      if (group.path("context").asText().equals(context)) {
        return group.path("statements");
      }
    }
    throw new AssertionError("no group for " + context);
  }

  private static List<String> contexts(JsonNode groups) {
    List<String> out = new ArrayList<>();
    groups.forEach(g -> out.add(g.path("context").asText()));
    return out;
  }

  @Test
  void pipelinesReceiveOtlpAndSendToTheRelayThroughEveryProcessorInOrder() throws Exception {
    String yaml = CollectorConfigWriter.write(example(), "p", "r");
    JsonNode config = parse(yaml);
    assertThat(config.path("receivers").path("otlp").path("protocols").path("http").path("endpoint").asText())
        .isEqualTo("${env:OTEL_ANALYTICS_GATEWAY_ENDPOINT:-127.0.0.1:4318}");
    assertThat(config.path("receivers").path("otlp").path("protocols").path("grpc").path("endpoint").asText())
        .isEqualTo("${env:OTEL_ANALYTICS_GATEWAY_GRPC_ENDPOINT:-127.0.0.1:4317}");
    assertThat(config.path("receivers").size()).isEqualTo(1);
    assertThat(config.path("exporters").path("otlp_http").path("endpoint").asText())
        .isEqualTo("${env:OTEL_ANALYTICS_RELAY_URL:-http://127.0.0.1:4319}");
    assertThat(config.path("processors").path("redaction/hash").path("hmac_key").asText())
        .isEqualTo("${env:OTEL_ANALYTICS_HASH_KEY}");
    assertThat(config.path("processors").path("redaction/hash").path("hash_function").asText()).isEqualTo("hmac-sha256");
    for (String signal : List.of("traces", "metrics")) {
      JsonNode pipeline = config.path("service").path("pipelines").path(signal);
      assertThat(texts(pipeline.path("receivers"))).containsExactly("otlp");
      assertThat(texts(pipeline.path("processors")))
          .containsExactly("memory_limiter", "filter", "transform/types", "redaction/hash", "redaction", "transform", "batch");
      assertThat(texts(pipeline.path("exporters"))).containsExactly("otlp_http");
    }
    assertThat(config.path("service").path("pipelines").size()).isEqualTo(2);
  }

  @Test
  void aPolicyThatHashesNothingNeedsNoKey() throws Exception {
    String yaml = CollectorConfigWriter.write(PrivacyPolicy.defaultPolicy(), "the built-in policy", "r");
    JsonNode config = parse(yaml);
    assertThat(yaml).doesNotContain("OTEL_ANALYTICS_HASH_KEY", "hmac");
    assertThat(config.path("processors").path("redaction/hash").isMissingNode()).isTrue();
    assertThat(config.path("processors").path("redaction").path("ignored_keys").isMissingNode()).isTrue();
    assertThat(texts(config.path("service").path("pipelines").path("traces").path("processors")))
        .containsExactly("memory_limiter", "filter", "transform/types", "redaction", "transform", "batch");
    assertThat(texts(config.path("processors").path("redaction").path("allowed_keys")))
        .containsExactly("analytics.event", "error.type", "http.response.status_code", "http.status_code", "exception.type",
            "service.name", "service.version");
    assertThat(texts(config.path("processors").path("filter").path("metric_conditions").get(0).path("conditions")))
        .containsExactly("true");
    assertThat(keptIn(config.path("processors").path("transform").path("metric_statements"), "datapoint", null)).isEmpty();
  }

  @Test
  void theFilterKeepsWhatSpanSelectorSelectsAndDropsTheRest() throws Exception {
    PrivacyPolicy policy = PrivacyPolicy.builder().setSpanSelectors(List.of("local-root", "cli.*", "GET /api/?tems", "exact"))
        .addSpanEvent("cache.miss").allowMetric("a.b", "").allowMetric("c\"d", "").build();
    JsonNode filter = parse(CollectorConfigWriter.write(policy, "p", "r")).path("processors").path("filter");
    assertThat(filter.path("error_mode").asText()).isEqualTo("propagate");
    String spans = filter.path("trace_conditions").get(0).path("conditions").get(0).asText();
    assertThat(filter.path("trace_conditions").get(0).path("context").asText()).isEqualTo("span");
    assertThat(spans).startsWith("not (" + FilterConditions.LOCAL_ROOT + " or ")
        .contains("span.name == \"exact\"")
        .endsWith(")");
    List<String> globs = new ArrayList<>();
    Matcher m = Pattern.compile("IsMatch\\(span\\.name, (\"(?:\\\\.|[^\\\\\"])*\")\\)").matcher(spans);
    while (m.find()) {
      globs.addAll(ottlStrings(m.group(1)));
    }
    assertThat(globs).hasSize(2);
    Pattern cli = Pattern.compile(globs.get(0));
    assertThat(cli.matcher("cli.inspect").find()).isTrue();
    assertThat(cli.matcher("cli.").find()).isTrue();
    assertThat(cli.matcher("cliXinspect").find()).as("the dot is literal").isFalse();
    assertThat(cli.matcher("my cli.inspect").find()).as("anchored at the start").isFalse();
    Pattern get = Pattern.compile(globs.get(1));
    assertThat(get.matcher("GET /api/items").find()).isTrue();
    assertThat(get.matcher("GET /api/items/1").find()).as("anchored at the end").isFalse();
    assertThat(get.matcher("GET /api/tems").find()).as("? is one character").isFalse();
    assertThat(filter.path("trace_conditions").get(1).path("conditions").get(0).asText())
        .isEqualTo("spanevent.name != \"exception\" and spanevent.name != \"cache.miss\"");
    assertThat(filter.path("metric_conditions").get(0).path("conditions").get(0).asText())
        .isEqualTo("not (metric.name == \"a.b\" or metric.name == \"c\\\"d\")");
  }

  @Test
  void spanEventsThePolicyNamesKeepItsAttributesAndExceptionEventsTheirType() throws Exception {
    PrivacyPolicy policy = PrivacyPolicy.builder().addSpanEvent("cache.miss").allowAttribute("cache.name", "x")
        .hashAttribute("enduser.id", "y").build();
    JsonNode traces = parse(CollectorConfigWriter.write(policy, "p", "r")).path("processors").path("transform")
        .path("trace_statements");
    assertThat(keptIn(traces, "spanevent", "spanevent.name == \"exception\"")).containsExactly("exception.type");
    assertThat(keptIn(traces, "spanevent", "spanevent.name != \"exception\"")).containsExactly("cache.name", "enduser.id");

    PrivacyPolicy withException = policy.toBuilder().addSpanEvent("exception").build();
    JsonNode traces2 = parse(CollectorConfigWriter.write(withException, "p", "r")).path("processors").path("transform")
        .path("trace_statements");
    assertThat(keptIn(traces2, "spanevent", "spanevent.name == \"exception\""))
        .containsExactly("exception.type", "cache.name", "enduser.id");
  }

  @Test
  void quotesAndDollarsInThePolicyArriveAsWritten() throws Exception {
    String odd = "a'b\"c\\d$e${env:HOME}";
    PrivacyPolicy policy = PrivacyPolicy.builder().allowAttribute(odd, "x").allowAttribute("true", "y").build();
    String yaml = CollectorConfigWriter.write(policy, "p", "r");
    assertThat(yaml).contains("'a''b\"c\\d$$e$${env:HOME}'").doesNotContainPattern("(?<!\\$)\\$\\{env:HOME\\}")
        .contains("- 'true'");
    JsonNode config = parse(yaml);
    assertThat(texts(config.path("processors").path("redaction").path("allowed_keys"))).contains(odd, "true");
    assertThat(keptIn(config.path("processors").path("transform").path("trace_statements"), "span", null))
        .startsWith(odd, "true");
  }

  @Test
  void aKeyWithAHiddenCharacterIsRefusedWithOneLineSayingWhich() {
    PrivacyPolicy policy = PrivacyPolicy.builder().allowAttribute("user\u200b.plan", "x").build();
    assertThatThrownBy(() -> CollectorConfigWriter.write(policy, "p", "r"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attributes.allow entry 'user\\u200b.plan' holds the invisible or control character U+200B, which a"
            + " Collector configuration cannot carry as written; remove it from the policy");
  }

  @Test
  void samePolicySameBytesWithAHeaderNamingTheSourceAndTheCommand() throws Exception {
    String first = CollectorConfigWriter.write(example(), "collector-config/policy.yaml", "mycli telemetry policy --collector");
    String second = CollectorConfigWriter.write(example(), "collector-config/policy.yaml", "mycli telemetry policy --collector");
    assertThat(first).isEqualTo(second).endsWith("\n");
    assertThat(first).startsWith("# OpenTelemetry Collector gateway for otel-analytics, generated by the code that");
    assertThat(first.substring(0, first.indexOf("\nreceivers:"))).contains("Do not edit by hand", "v0.161.0", "Luhn",
        "entropy", "the relay", "\n# Policy: collector-config/policy.yaml\n",
        "\n# Regenerate with: mycli telemetry policy --collector\n");
  }

  @Test
  void aWholeValueIsMaskedWhenAGuardMatchesAnyPartOfIt() {
    // The redaction processor replaces each match (Go's ReplaceAllStringFunc): all of the value here.
    Pattern email = Pattern.compile(CollectorConfigWriter.wholeValue("[a-z]+@example\\.com"));
    assertThat(email.matcher("write to alice@example.com\nor call").replaceAll(CollectorConfigWriter.MASK)).isEqualTo("****");
    assertThat(email.matcher("/api/v1/items/{id}").replaceAll(CollectorConfigWriter.MASK)).isEqualTo("/api/v1/items/{id}");
  }

  /**
   * The hashing steps the configuration asks for, done here as the Collector does them: the
   * redaction processor's HMAC-SHA256 in lower-case hex (Go's hex.EncodeToString), then the
   * transform processor's Substring(value, 0, 32): exactly the Java hash. The values in the second
   * half were produced by the real Collector v0.161.0 running gateway.yaml (see the note on the
   * commit), from the key below.
   */
  @Test
  void theGatewaysHashIsTheJavaHash() throws Exception {
    byte[] key = "0123456789abcdef0123456789abcdef-key".getBytes(StandardCharsets.UTF_8);
    KeyedHasher hasher = new KeyedHasher(key);
    for (String id : Arrays.asList("user-42", "42", "", "ünïcødé@example.com")) {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      StringBuilder hex = new StringBuilder();
      for (byte b : mac.doFinal(id.getBytes(StandardCharsets.UTF_8))) {
        hex.append(String.format("%02x", b));
      }
      assertThat(hex).hasSize(64);
      assertThat(hex.substring(0, 32)).isEqualTo(hasher.hash(id));
    }
    assertThat(hasher.hash("user-42")).isEqualTo("5cfbb3ca1d1de9a6d0f75d65ffa0446a");
    assertThat(hasher.hash("42")).isEqualTo("1a782c0b66524c29b5cfa5080ae55892");
  }
}
