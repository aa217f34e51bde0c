package dev.otelanalytics.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * PRIVACY.md is generated from the example's policy by the code that enforces it; this test
 * fails the moment the two disagree, by a single character.
 */
class PrivacyMdDriftTest {
  static final Path PRIVACY_MD = Paths.get("..", "PRIVACY.md");
  static final Path EXAMPLE_POLICY = Paths.get("..", "examples", "cli-app", "analytics-policy.yaml");
  static final String REGENERATE = "mvn -q -B -pl exporter test -Dtest=PrivacyMdDriftTest -Dprivacy.regenerate=true";

  static String expected() throws PolicyException {
    String preamble = "<!-- Generated from examples/cli-app/analytics-policy.yaml by PrivacyStatement; do not edit by hand."
        + " Regenerate with: " + REGENERATE + " -->\n\n"
        + "> **About this file.** otel-analytics is a library: what is collected depends on the privacy policy of the"
        + " app that uses it. Below is the statement for this repository's example app, `cli-app`. It is generated from"
        + " `examples/cli-app/analytics-policy.yaml` by the same policy object the code enforces, and a test fails"
        + " whenever the two disagree. Your own app gets its statement with `<your program> telemetry policy --markdown`,"
        + " or `AnalyticsCli ... policy --markdown --policy your-policy.yaml`.\n\n";
    PrivacyStatement statement = PrivacyStatement.of(PolicyLoader.load(EXAMPLE_POLICY), "cli-app",
        "Nowhere by default: events are kept on this machine only. When its operator sets"
            + " `OTEL_ANALYTICS_DESTINATION=posthog`, they go to that operator's PostHog project, and each event asks"
            + " PostHog not to build a person profile and not to look up a location",
        90, null, "cli-app telemetry level");
    return preamble + statement.toMarkdown();
  }

  @Test
  void privacyMdIsWhatThePolicyGenerates() throws Exception {
    String expected = expected();
    if (Boolean.getBoolean("privacy.regenerate")) {
      Files.write(PRIVACY_MD, expected.getBytes(StandardCharsets.UTF_8));
    }
    String actual = Files.exists(PRIVACY_MD) ? new String(Files.readAllBytes(PRIVACY_MD), StandardCharsets.UTF_8) : "";
    assertThat(actual)
        .as("PRIVACY.md differs from what the policy generates. It is generated, not written by hand: regenerate it with\n  "
            + REGENERATE + "\nand review the diff.")
        .isEqualTo(expected);
  }
}
