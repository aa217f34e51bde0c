package dev.otelanalytics.leaks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.otelanalytics.internal.collector.CollectorConfigWriter;
import dev.otelanalytics.internal.guard.ValueGuards;
import dev.otelanalytics.policy.PolicyLoader;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's {@code blocked_values}, exactly as the generated configuration holds them (the
 * Collector reads {@code $$} as {@code $}), against the leak suite's fuzz corpus and the false
 * positive corpus. What they miss must be what RE2 cannot express, which the relay catches; what
 * they drop beyond Java's guards must be the runs whose Luhn or entropy test RE2 cannot do.
 */
class GatewayBlockedValuesTest {
  /** Canary kinds only an entropy test recognises. */
  static final Set<String> ENTROPY_KINDS = Set.of("secret.high-entropy");
  /** Wrappers that hide a canary until it is decoded, which the Collector does not do. */
  static final Set<String> DECODING_WRAPPERS = Set.of("percent-encoded", "fullwidth-punct");

  static List<Pattern> blocked;

  @BeforeAll
  static void readTheGeneratedConfiguration() throws Exception {
    String yaml = CollectorConfigWriter.write(PolicyLoader.load(Paths.get("..", "collector-config", "policy.yaml")), "test",
        "test");
    JsonNode values = new YAMLMapper().readTree(yaml).path("processors").path("redaction").path("blocked_values");
    blocked = new ArrayList<>();
    for (JsonNode v : values) {
      blocked.add(Pattern.compile(v.asText().replace("$$", "$")));
    }
    assertThat(blocked).hasSizeGreaterThan(10);
  }

  static boolean masked(String value) {
    return blocked.stream().anyMatch(p -> p.matcher(value).find());
  }

  @Test
  void everyFuzzCanaryIsMaskedExceptThoseOnlyDecodingOrEntropyFinds() {
    Map<String, Integer> missed = new TreeMap<>();
    int total = 0;
    int caught = 0;
    Set<String> seen = new LinkedHashSet<>();
    for (FuzzCorpus.Case c : FuzzCorpus.generate()) {
      // Numbers reach the redaction processor as the Collector writes them (redact_all_types): digits.
      String value = c.field().numericOnly() ? Long.toString(c.number()) : c.input();
      if (!seen.add(value)) {
        continue;
      }
      total++;
      if (masked(value)) {
        caught++;
      } else {
        missed.merge(c.kind() + " / " + c.wrapper(), 1, Integer::sum);
      }
    }
    System.out.printf("gateway blocked_values: %d of %d distinct fuzz inputs masked; missed by kind / wrapper: %s%n", caught,
        total, missed);
    Set<String> unexpected = new TreeSet<>();
    for (String miss : missed.keySet()) {
      String kind = miss.substring(0, miss.indexOf(" / "));
      String wrapper = miss.substring(miss.indexOf(" / ") + 3);
      if (!ENTROPY_KINDS.contains(kind) && !DECODING_WRAPPERS.contains(wrapper)) {
        unexpected.add(miss);
      }
    }
    assertThat(unexpected).as("canaries an RE2 pattern should have found").isEmpty();
    assertThat(caught).as("most of the corpus is plain canaries, which the patterns must find").isGreaterThan(total * 8 / 10);
  }

  @Test
  void benignValuesAreDroppedBeyondJavasGuardsOnlyWhereLuhnOrEntropyIsMissing() {
    Map<String, String> extra = new LinkedHashMap<>();
    int total = 0;
    int dropped = 0;
    for (List<String> values : FalsePositiveTest.CORPUS.values()) {
      for (String value : values) {
        total++;
        if (!masked(value)) {
          continue;
        }
        dropped++;
        if (ValueGuards.check(value) == null) {
          extra.put(value, value.replaceAll("[^0-9A-Fa-f]", "").length() >= 13 ? "digits or hex" : "other");
        }
      }
    }
    System.out.printf("gateway blocked_values: %d of %d benign values masked (%.2f%%); beyond Java's guards: %s%n", dropped,
        total, 100.0 * dropped / total, extra.keySet());
    assertThat(extra).as("benign values masked for another reason than a missing Luhn or entropy test")
        .doesNotContainValue("other");
    assertThat(dropped).as("benign values masked").isLessThanOrEqualTo(total * 3 / 100);
  }
}
