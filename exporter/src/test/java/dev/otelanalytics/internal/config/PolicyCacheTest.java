package dev.otelanalytics.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelanalytics.policy.PolicyEntry;
import dev.otelanalytics.policy.PolicyException;
import dev.otelanalytics.policy.PolicyLoader;
import dev.otelanalytics.policy.PrivacyPolicy;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compiled policy kept in the state directory: read back, it is the policy its YAML is, for
 * every policy this repository ships or documents; it is used only for the exact content it was
 * compiled from, by this version; a value JSON cannot keep exactly is never compiled.
 */
class PolicyCacheTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path dir;

  /** Everything a policy holds, as text: two policies with the same fingerprint scrub alike. */
  static String fingerprint(PrivacyPolicy policy) {
    StringBuilder out = new StringBuilder();
    out.append(policy.spanSelectors()).append('|').append(policy.spanEvents()).append('|').append(policy.eventNames())
        .append('|').append(policy.reportInterval()).append('\n');
    for (Map<String, PolicyEntry> entries : List.of(policy.allowedAttributes(), policy.hashedAttributes(),
        policy.allowedResourceAttributes(), policy.allowedMetrics())) {
      for (PolicyEntry e : entries.values()) {
        out.append(e.key()).append('=').append(e.why()).append(" :: ").append(e.type()).append('\n');
      }
      out.append("--\n");
    }
    return out.toString();
  }

  /** The policy files of the repository, and every YAML policy shown in its documentation. */
  static List<String> shippedPolicies() throws Exception {
    List<String> out = new ArrayList<>();
    for (String file : List.of("examples/cli-app/analytics-policy.yaml", "examples/web-service/analytics-policy.yaml",
        "collector-config/policy.yaml")) {
      out.add(Files.readString(ROOT.resolve(file)));
    }
    Pattern block = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      for (Path doc : (Iterable<Path>) docs.filter(p -> p.toString().endsWith(".md"))::iterator) {
        Matcher m = block.matcher(Files.readString(doc));
        while (m.find()) {
          if (m.group(1).contains("version: 1")) {
            out.add(m.group(1));
          }
        }
      }
    }
    return out;
  }

  @Test
  void everyShippedAndDocumentedPolicyReadsBackFromItsCompiledFormAsTheSamePolicy() throws Exception {
    int compared = 0;
    for (String yaml : shippedPolicies()) {
      PrivacyPolicy fromYaml;
      try {
        fromYaml = PolicyLoader.load(new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "doc");
      } catch (PolicyException notAWholePolicy) {
        continue;   // a fragment shown in the docs
      }
      ByteArrayOutputStream compiled = new ByteArrayOutputStream();
      PrivacyPolicy again = PolicyLoader.load(yaml.getBytes(StandardCharsets.UTF_8), "doc", compiled);
      assertThat(fingerprint(again)).isEqualTo(fingerprint(fromYaml));
      assertThat(compiled.size()).as(yaml).isPositive();
      assertThat(fingerprint(PolicyLoader.loadCompiled(compiled.toByteArray(), "doc"))).as(yaml).isEqualTo(fingerprint(fromYaml));
      compared++;
    }
    assertThat(compared).isGreaterThanOrEqualTo(3);
  }

  @Test
  void numbersBooleansAndTextOfEveryKindReadBackTheSame() throws Exception {
    String yaml = """
        version: 1
        events:
          spans: [local-root, "GET /api/*"]
          span_events: [cache.miss]
          names: [inspect, "report \\u00e9t\\u00e9", 'quoted "twice"']
        attributes:
          allow:
            - {key: a.int, why: "counts", type: int, buckets: [1, 10, 100, 9223372036854775807]}
            - {key: a.num, why: "sizes", type: number, buckets: [-0.0, 2E-3, 0.5, 1.5e3]}
            - {key: a.enum, why: "formats", type: enum, values: [text, json, 42, 4.5, true, "null"]}
            - {key: a.bool, why: "flags", type: bool}
            - key: a.text
              why: |
                multi-line
                reason: with "quotes" and \\ backslash
              type: text
          hash:
            - {key: enduser.id, why: "distinct users"}
        resource:
          allow: [service.name, service.version]
        metrics:
          allow: [cli.items.inspected]
          report_interval: 12h
        """;
    ByteArrayOutputStream compiled = new ByteArrayOutputStream();
    PrivacyPolicy fromYaml = PolicyLoader.load(yaml.getBytes(StandardCharsets.UTF_8), "test", compiled);
    assertThat(compiled.size()).isPositive();
    assertThat(fingerprint(PolicyLoader.loadCompiled(compiled.toByteArray(), "test"))).isEqualTo(fingerprint(fromYaml));
  }

  /** Forms a JSON copy would have changed: the compiled form plays back what the YAML parser answered, so they read back as they are. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"[0x10, 20]", "[1_000, 2000]", "[010, 20]", "[+1, 2]", "[.5, 1.5]", "[1.0e+3, 2e3]", "[0o17, 20]"})
  void oddNumberFormsReadBackAsTheYamlReadsThem(String buckets) throws Exception {
    String yaml = "version: 1\nattributes:\n  allow:\n    - {key: a.num, why: \"sizes\", type: number, buckets: " + buckets + "}\n";
    assertCompiledReadsBackTheSame(yaml);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"[0x10, text]", "[1_000, text]", "[True, text]", "[~, text]", "[yes, text]", "[+1, text]",
      "[\"\\ttab\", text]", "[\"a\\nb\", text]", "['back\\slash', text]"})
  void oddEnumValuesReadBackAsTheYamlReadsThem(String values) throws Exception {
    String yaml = "version: 1\nattributes:\n  allow:\n    - {key: a.enum, why: \"formats\", type: enum, values: " + values + "}\n";
    assertCompiledReadsBackTheSame(yaml);
  }

  private static void assertCompiledReadsBackTheSame(String yaml) throws Exception {
    ByteArrayOutputStream compiled = new ByteArrayOutputStream();
    PrivacyPolicy policy;
    try {
      policy = PolicyLoader.load(yaml.getBytes(StandardCharsets.UTF_8), "test", compiled);
    } catch (PolicyException refused) {
      assertThat(compiled.size()).as("a refused policy compiles to nothing").isZero();
      return;
    }
    assertThat(compiled.size()).as(yaml).isPositive();
    assertThat(fingerprint(PolicyLoader.loadCompiled(compiled.toByteArray(), "test"))).as(yaml).isEqualTo(fingerprint(policy));
  }

  @Test
  void aTextUtf8CannotCarryIsNeverCompiled() throws Exception {
    String yaml = "version: 1\nattributes:\n  allow:\n    - {key: a.b, why: \"odd \\uD800 reason\"}\n";
    ByteArrayOutputStream compiled = new ByteArrayOutputStream();
    try {
      PolicyLoader.load(yaml.getBytes(StandardCharsets.UTF_8), "test", compiled);
    } catch (PolicyException refusedByTheParser) {
      // also nothing compiled
    }
    assertThat(compiled.size()).isZero();
  }

  @Test
  void aCompiledFormCutShortOrWithAnswersLeftOverIsRefused() throws Exception {
    String yaml = Files.readString(ROOT.resolve("examples/cli-app/analytics-policy.yaml"));
    ByteArrayOutputStream compiled = new ByteArrayOutputStream();
    PolicyLoader.load(yaml.getBytes(StandardCharsets.UTF_8), "test", compiled);
    byte[] whole = compiled.toByteArray();
    assertThatThrownBy(() -> PolicyLoader.loadCompiled(java.util.Arrays.copyOf(whole, whole.length / 2), "test"))
        .isInstanceOf(PolicyException.class);
    byte[] longer = (new String(whole, StandardCharsets.UTF_8) + "nSTART_OBJECT\n").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> PolicyLoader.loadCompiled(longer, "test")).isInstanceOf(PolicyException.class);
  }

  @Test
  void theSecondRunReadsTheCompiledPolicyAndAnyEditReadsTheYamlAgain() throws Exception {
    Path policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, "version: 1\nattributes:\n  allow:\n    - {key: cli.command, why: \"which command\"}\n");
    Path cacheFile = dir.resolve("policy-cache");

    PolicyCache first = new PolicyCache(cacheFile);
    PrivacyPolicy fromYaml = first.load(policyFile);
    assertThat(cacheFile).as("nothing written before analytics started").doesNotExist();
    first.saveIfNew();
    assertThat(cacheFile).exists();
    assertThat(Files.getPosixFilePermissions(cacheFile)).containsExactlyInAnyOrder(
        java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);

    PolicyCache second = new PolicyCache(cacheFile);
    assertThat(fingerprint(second.load(policyFile))).isEqualTo(fingerprint(fromYaml));
    assertThat(second.hasPending()).as("read from the cache: nothing new to keep").isFalse();

    // Proof that the cache is what was read: a cache whose compiled part says more is believed
    // while the YAML is the same, and dropped as soon as the YAML changes by one byte.
    byte[] stored = Files.readAllBytes(cacheFile);
    String text = new String(stored, StandardCharsets.UTF_8).replace("=cli.command\n", "=cli.other\n");
    Files.writeString(cacheFile, text);
    assertThat(new PolicyCache(cacheFile).load(policyFile).allowedAttributes()).containsOnlyKeys("cli.other");
    Files.writeString(policyFile, "version: 1\nattributes:\n  allow:\n    - {key: cli.command, why: \"which command\"} \n");
    PolicyCache edited = new PolicyCache(cacheFile);
    assertThat(edited.load(policyFile).allowedAttributes()).containsOnlyKeys("cli.command");
    assertThat(edited.hasPending()).isTrue();
  }

  @Test
  void aCacheOfAnotherVersionADamagedOneOrALinkIsIgnored() throws Exception {
    Path policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, "version: 1\nattributes:\n  allow:\n    - {key: cli.command, why: \"which command\"}\n");
    Path cacheFile = dir.resolve("policy-cache");
    PolicyCache cache = new PolicyCache(cacheFile);
    cache.load(policyFile);
    cache.saveIfNew();
    String good = Files.readString(cacheFile);

    Files.writeString(cacheFile, good.replaceFirst("\n[^\n]*\n", "\n0.0.1-other\n"));
    assertThat(readsFromYaml(cacheFile, policyFile)).as("another version").isTrue();

    Files.writeString(cacheFile, good.substring(0, good.length() - 10));
    assertThat(readsFromYaml(cacheFile, policyFile)).as("cut short").isTrue();

    Files.delete(cacheFile);
    Path elsewhere = dir.resolve("elsewhere");
    Files.writeString(elsewhere, good);
    Files.createSymbolicLink(cacheFile, elsewhere);
    assertThat(readsFromYaml(cacheFile, policyFile)).as("a link").isTrue();
  }

  @Test
  void aBadPolicyIsRefusedWithTheSameMessageWithOrWithoutTheCache() throws Exception {
    Path policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, "version: 1\nattributes:\n  allow:\n    - {key: cli.command}\n");
    String without = message(() -> PolicyLoader.load(policyFile));
    assertThat(message(() -> new PolicyCache(dir.resolve("policy-cache")).load(policyFile))).isEqualTo(without);
    Path missing = dir.resolve("missing.yaml");
    assertThat(message(() -> new PolicyCache(dir.resolve("policy-cache")).load(missing)))
        .isEqualTo(message(() -> PolicyLoader.load(missing)));
    Files.write(policyFile, new byte[] {'v', 'e', 'r', (byte) 0xC3, (byte) 0x28, '\n'});
    assertThat(message(() -> new PolicyCache(dir.resolve("policy-cache")).load(policyFile)))
        .isEqualTo(message(() -> PolicyLoader.load(policyFile)));
  }

  private static boolean readsFromYaml(Path cacheFile, Path policyFile) throws PolicyException {
    PolicyCache cache = new PolicyCache(cacheFile);
    cache.load(policyFile);
    return cache.hasPending();
  }

  private interface Load {
    Object run() throws Exception;
  }

  private static String message(Load load) {
    try {
      load.run();
    } catch (Exception e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    throw new AssertionError("not refused");
  }

  @Test
  void theCompiledFormIsNeverReadAsYaml() {
    assertThatThrownBy(() -> PolicyLoader.loadCompiled("version: 1".getBytes(StandardCharsets.UTF_8), "x"))
        .isInstanceOf(PolicyException.class);
  }
}
