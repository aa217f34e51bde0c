package dev.otelanalytics.benchmarks;

import dev.otelanalytics.policy.AttributeType;
import dev.otelanalytics.policy.PrivacyPolicy;
import io.opentelemetry.api.trace.SpanBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The span attributes {@link WorkerCostBenchmark} and {@link ThroughputRun} put on their spans,
 * with the typed policy entries that allow (or hash) them. The first ten are those of a
 * command-line tool or service: a command (enum), a user id and an organisation id (hashed), a
 * route with ids in it, a version, a count, a flag, an output format, a build tool (token) and a
 * free-text label. The other forty mix the same types (a couple of {@code text} among them).
 * Span {@code i} gets value number {@code i} of each: commands, formats and versions repeat from
 * span to span, the user id comes from a set of 50 users, ids in routes and counts vary.
 */
final class RealisticAttributes {
  /** How many attributes there are at most. */
  static final int MAX = 50;
  /** The keys whose values are hashed. */
  static final List<String> HASHED = Collections.unmodifiableList(Arrays.asList("enduser.id", "org.id"));

  static final List<String> COMMANDS = Collections.unmodifiableList(
      Arrays.asList("inspect", "build", "deploy", "test", "lint", "version", "init", "sync"));
  private static final List<String> FORMATS = Arrays.asList("text", "json", "yaml");
  private static final List<String> VERSIONS = Arrays.asList("1.4.2", "1.4.3", "2.0.0-rc.1", "1.3.9", "1.4.2");
  private static final List<String> TOOLS = Arrays.asList("maven", "gradle", "sbt", "bazel", "maven");
  private static final List<String> LABELS =
      Arrays.asList("Export report as PDF", "Bulk edit of tags", "Dark mode toggle", "Sync calendar now");
  private static final List<String> AREAS = Arrays.asList("ui", "api", "db", "cache", "queue", "search", "auth", "billing");
  private static final List<String> MODES = Arrays.asList("fast", "safe", "balanced", "off");
  private static final List<String> REGIONS = Arrays.asList("eu-west-1", "us-east-2", "ap-south-1");
  private static final List<String> CLIENT_VERSIONS = Arrays.asList("3.2.1", "3.2.0", "4.0.0-beta.2", "2.9.14");
  private static final List<String> NOTES = Arrays.asList("Opened settings panel", "Saved search results", "Retried after a timeout");

  /** One attribute: its key, its policy type (null when hashed) and its value for span {@code i}. */
  static final class Spec {
    final String key;
    final AttributeType type;
    final IntFunction<Object> value;

    Spec(String key, AttributeType type, IntFunction<Object> value) {
      this.key = key;
      this.type = type;
      this.value = value;
    }

    boolean hashed() {
      return type == null;
    }
  }

  private static final List<Spec> ALL = build();

  private RealisticAttributes() {}

  private static List<Spec> build() {
    List<Spec> specs = new ArrayList<>();
    specs.add(new Spec("cli.command", AttributeType.enumOf(COMMANDS), i -> command(i)));
    specs.add(new Spec("enduser.id", null, i -> String.format(Locale.ROOT, "user-%05d", (i * 7) % 50)));
    specs.add(new Spec("http.route", AttributeType.route(), i -> "/api/v1/projects/" + (1000 + i % 37) + "/builds/" + (i * 13) % 500));
    specs.add(new Spec("app.version", AttributeType.version(), i -> VERSIONS.get(i % VERSIONS.size())));
    specs.add(new Spec("files.count", AttributeType.integer(), i -> (long) ((i * 37) % 5000)));
    specs.add(new Spec("cache.hit", AttributeType.bool(), i -> i % 3 != 0));
    specs.add(new Spec("output.format", AttributeType.enumOf(FORMATS), i -> FORMATS.get(i % FORMATS.size())));
    specs.add(new Spec("org.id", null, i -> "org-" + (i % 12)));
    specs.add(new Spec("build.tool", AttributeType.token(), i -> TOOLS.get(i % TOOLS.size())));
    specs.add(new Spec("feature.label", AttributeType.text(), i -> LABELS.get(i % LABELS.size())));
    // Forty more of the same kinds; text only twice.
    String[] kinds = {"enum", "int", "bool", "route", "version", "token", "int", "enum", "bool", "token"};
    for (int j = 10; j < MAX; j++) {
      String area = AREAS.get(j % AREAS.size());
      int round = (j - 10) / AREAS.size();
      String suffix = round == 0 ? "" : "_" + round;
      int k = j;
      String kind = j == 23 || j == 41 ? "text" : kinds[j % kinds.length];
      switch (kind) {
        case "enum":
          specs.add(new Spec("app." + area + ".mode" + suffix, AttributeType.enumOf(MODES), i -> MODES.get((i + k) % MODES.size())));
          break;
        case "int":
          specs.add(new Spec("app." + area + ".count" + suffix, AttributeType.integer(), i -> (long) ((i * 31 + k * 7) % 10_000)));
          break;
        case "bool":
          specs.add(new Spec("app." + area + ".enabled" + suffix, AttributeType.bool(), i -> (i + k) % 2 == 0));
          break;
        case "route":
          specs.add(new Spec("app." + area + ".endpoint" + suffix, AttributeType.route(),
              i -> "/api/v2/" + area + "/" + (10_000 + (i * 17 + k) % 900) + "/items"));
          break;
        case "version":
          specs.add(new Spec("app." + area + ".client_version" + suffix, AttributeType.version(),
              i -> CLIENT_VERSIONS.get((i + k) % CLIENT_VERSIONS.size())));
          break;
        case "token":
          specs.add(new Spec("app." + area + ".region" + suffix, AttributeType.token(), i -> REGIONS.get((i + k) % REGIONS.size())));
          break;
        default:
          specs.add(new Spec("app." + area + ".note" + suffix, AttributeType.text(), i -> NOTES.get((i + k) % NOTES.size())));
          break;
      }
    }
    return Collections.unmodifiableList(specs);
  }

  /**
   * The first {@code count} attributes: with 1, the command alone (nothing hashed); with 10 or
   * more, two of them hashed.
   */
  static List<Spec> first(int count) {
    if (count < 1 || count > MAX) {
      throw new IllegalArgumentException("attribute count must be 1 to " + MAX + ", not " + count);
    }
    return ALL.subList(0, count);
  }

  /** The command of span {@code i}, also its name. */
  static String command(int i) {
    // Not uniform: inspect and build are run most.
    int r = (i * 5) % 16;
    return r < 5 ? "inspect" : r < 9 ? "build" : COMMANDS.get(r % COMMANDS.size());
  }

  /**
   * The built-in policy (service.name and service.version) plus a typed entry for each attribute
   * of {@code specs}.
   */
  static PrivacyPolicy policy(List<Spec> specs) {
    PrivacyPolicy.Builder b = PrivacyPolicy.defaultPolicy().toBuilder();
    for (Spec spec : specs) {
      if (spec.hashed()) {
        b.hashAttribute(spec.key, "count distinct users and organisations (benchmark)");
      } else {
        b.allowAttribute(spec.key, "benchmark", spec.type);
      }
    }
    return b.build();
  }

  /** Sets each attribute's value for span {@code i} on {@code span}. */
  static SpanBuilder setOn(SpanBuilder span, List<Spec> specs, int i) {
    for (Spec spec : specs) {
      Object v = spec.value.apply(i);
      if (v instanceof Long) {
        span.setAttribute(spec.key, (Long) v);
      } else if (v instanceof Boolean) {
        span.setAttribute(spec.key, (Boolean) v);
      } else {
        span.setAttribute(spec.key, (String) v);
      }
    }
    return span;
  }

  /** The attributes' raw values for span {@code i}, as a team writing its own events would send them. */
  static Map<String, Object> rawValues(List<Spec> specs, int i) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Spec spec : specs) {
      out.put(spec.key, spec.value.apply(i));
    }
    return out;
  }
}
