package dev.otelanalytics.internal.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.policy.PolicyException;
import dev.otelanalytics.policy.PolicyLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * collector-config/gateway.yaml is what the generator writes for collector-config/policy.yaml;
 * this test fails the moment the two disagree, by a single character.
 */
class GatewayYamlDriftTest {
  static final Path GATEWAY_YAML = Paths.get("..", "collector-config", "gateway.yaml");
  static final Path EXAMPLE_POLICY = Paths.get("..", "collector-config", "policy.yaml");
  static final String REGENERATE = "mvn -q -B -pl exporter test -Dtest=GatewayYamlDriftTest -Dgateway.regenerate=true";

  static String expected() throws PolicyException {
    return CollectorConfigWriter.write(PolicyLoader.load(EXAMPLE_POLICY), "collector-config/policy.yaml", REGENERATE);
  }

  @Test
  void gatewayYamlIsWhatThePolicyGenerates() throws Exception {
    String expected = expected();
    if (Boolean.getBoolean("gateway.regenerate")) {
      Files.write(GATEWAY_YAML, expected.getBytes(StandardCharsets.UTF_8));
    }
    String actual = Files.exists(GATEWAY_YAML) ? new String(Files.readAllBytes(GATEWAY_YAML), StandardCharsets.UTF_8) : "";
    assertThat(actual)
        .as("collector-config/gateway.yaml differs from what collector-config/policy.yaml generates. It is generated, not"
            + " written by hand: regenerate it with\n  " + REGENERATE + "\nand review the diff.")
        .isEqualTo(expected);
  }
}
