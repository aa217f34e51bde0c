package dev.otelanalytics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.internal.collector.CollectorConfigWriter;
import dev.otelanalytics.policy.PolicyLoader;
import dev.otelanalytics.policy.PrivacyPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A verb given the wrong number of arguments says, in one line, what it needs and how to call it,
 * and exits 2 like every other usage error of the command line; {@code policy --collector} prints
 * the gateway configuration of the policy in force or of a file.
 */
class AnalyticsCliTest {
  private static final String COMMAND = "mycli telemetry";

  @TempDir Path stateDir;

  private CliRun run(String... args) {
    return run(Map.of(), args);
  }

  private CliRun run(Map<String, String> settings, String... args) {
    return CliRun.of(stateDir, COMMAND, settings, args);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "export                 | mycli telemetry: export needs a file: mycli telemetry export events.json",
      "export a.json b.json   | mycli telemetry: export takes one file: mycli telemetry export events.json",
      "level                  | mycli telemetry: level needs one of off, local, anonymous: mycli telemetry level off",
      "level maximum          | mycli telemetry: level takes one of off, local, anonymous, not 'maximum': mycli telemetry level off",
      "level off local        | mycli telemetry: level takes one of off, local, anonymous, once: mycli telemetry level off",
  })
  void aMissingOrExtraArgumentGetsItsOwnLineAndExitCode2(String args, String expected) {
    CliRun r = run(args.split(" "));

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).isEqualTo(expected + System.lineSeparator());
    assertThat(r.out()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"forget-me", "status now"})
  void otherMistakesStillGetTheUsageAndExitCode2(String args) {
    CliRun r = run(args.split(" "));

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("usage: " + COMMAND + " status | show [N] | export FILE");
  }

  @Test
  void policyCollectorPrintsAGatewayConfigurationForThePolicyInForce() throws Exception {
    CliRun builtIn = run("policy", "--collector");
    assertThat(builtIn.exit()).isZero();
    assertThat(builtIn.err()).isEmpty();
    assertThat(builtIn.out()).isEqualTo(CollectorConfigWriter.write(PrivacyPolicy.defaultPolicy(), "the built-in policy",
        COMMAND + " policy --collector"));

    Path file = Files.writeString(stateDir.resolve("analytics-policy.yaml"),
        "version: 1\nattributes:\n  hash:\n    - {key: enduser.id, why: \"count distinct users\"}\n");
    CliRun inForce = run(Map.of("otel.analytics.policy.file", file.toString(), "otel.analytics.allowed.attributes", "cli.command"),
        "policy", "--collector");
    assertThat(inForce.exit()).isZero();
    assertThat(inForce.out())
        .contains("\n# Policy: policy file " + file + " (OTEL_ANALYTICS_POLICY_FILE) with OTEL_ANALYTICS_ALLOWED_ATTRIBUTES\n")
        .contains("\n# Regenerate with: " + COMMAND + " policy --collector\n")
        .contains("      - cli.command\n", "hmac_key: ${env:OTEL_ANALYTICS_HASH_KEY}");
  }

  @Test
  void policyCollectorWithAFileUsesThatFile() throws Exception {
    Path file = Files.writeString(stateDir.resolve("gateway-policy.yaml"),
        "version: 1\nattributes:\n  allow:\n    - {key: http.route, why: \"which endpoint\"}\n");
    CliRun r = run("policy", "--policy", file.toString(), "--collector");
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo(CollectorConfigWriter.write(PolicyLoader.load(file), "policy file " + file,
        COMMAND + " policy --collector --policy " + file));
  }

  @Test
  void aBadPolicyFileGetsOneLineAndExitCode2() throws Exception {
    Path missing = stateDir.resolve("missing.yaml");
    for (String[] args : List.of(new String[] {"policy", "--collector", "--policy", missing.toString()},
        new String[] {"policy", "--policy", missing.toString()})) {
      CliRun r = run(args);
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.out()).isEmpty();
      assertThat(r.err()).isEqualTo(COMMAND + ": policy file " + missing + " does not exist" + System.lineSeparator());
    }
    Path malformed = Files.writeString(stateDir.resolve("bad.yaml"), "version: 1\nattributes:\n  allow:\n    - {key: url.full, why: x}\n");
    CliRun r = run("policy", "--collector", "--policy", malformed.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith(COMMAND + ": policy " + malformed + ", line 4: ").contains("url.full", "can never be collected")
        .endsWith(System.lineSeparator()).hasLineCount(1);
  }

  @Test
  void anInvalidConfigurationHasNoPolicyInForceToGenerateFrom() {
    CliRun r = run(Map.of("otel.analytics.policy.file", stateDir.resolve("nowhere.yaml").toString()), "policy", "--collector");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith(COMMAND + ": no policy is in force, because the configuration is invalid: OTEL_ANALYTICS_POLICY_FILE")
        .endsWith("; fix it, or name a policy file: " + COMMAND + " policy --collector --policy FILE" + System.lineSeparator())
        .hasLineCount(1);
  }

  @Test
  void markdownAndCollectorTogetherAreAUsageError() {
    CliRun r = run("policy", "--markdown", "--collector");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo(COMMAND + ": policy prints the privacy statement (--markdown) or a Collector configuration"
        + " (--collector), not both: " + COMMAND + " policy --collector > gateway.yaml" + System.lineSeparator());
  }
}
