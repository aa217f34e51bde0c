package dev.otelanalytics.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The privacy statement and the status summary show what each attribute may hold. */
class TypedStatementTest {
  private final PrivacyPolicy policy = PrivacyPolicy.builder()
      .setEventNames(List.of("inspect", "GET /api/*"))
      .allowAttribute("report.format", "which formats", AttributeType.enumOf(List.of("text", "json")))
      .allowAttribute("files.count", "how many files", AttributeType.integer(List.of(1L, 10L)))
      .allowAttribute("search.label", "what people call their searches", AttributeType.text())
      .allowAttribute("http.route", "which endpoint | template", AttributeType.route())
      .allowResourceAttribute("service.version", "which version", AttributeType.version())
      .build();

  @Test
  void theMarkdownTableSaysWhatEachAttributeMayHoldAndMarksFreeText() {
    String md = PrivacyStatement.of(policy, "my-cli", "Nowhere", 90, null, null).toMarkdown();
    assertThat(md).contains(
        "Events are named only inspect, GET /api/* (* stands for any run of characters, ? for one character);"
            + " any other name is sent as other.",
        "| Data | What it may hold | Why |",
        "| `report.format` | one of: text, json; anything else is sent as other | which formats |",
        "| `files.count` | a whole number, sent only as its range: <1, 1..9, 10+ | how many files |",
        "| `search.label` | free text, checked by heuristic guards | what people call their searches |",
        "| `http.route` | an endpoint template; any part that looks like an id is sent as {id} | which endpoint \\| template |",
        "| `service.version` | a version number | which version |",
        "**Weak spot:** search.label is free text, checked by heuristic guards only.");
  }

  @Test
  void thePlainTextFormKeepsTypesAndGlobs() {
    String text = PrivacyStatement.of(policy, "my-cli", "Nowhere", 90, null, null).toText();
    assertThat(text).contains("  report.format (one of: text, json; anything else is sent as other): which formats",
        "  http.route (an endpoint template; any part that looks like an id is sent as {id}): which endpoint | template",
        "Events are named only inspect, GET /api/* (* stands for",
        "Weak spot: search.label is free text", "Never collected")
        .doesNotContain("| Data", "**", "`");
  }

  @Test
  void theStatusSummaryShowsTypesNamesAndTheWeakSpot() {
    String summary = PrivacyStatement.summary(policy);
    assertThat(summary).contains("  - report.format (one of: text, json; anything else is sent as other): which formats",
        "  - files.count (a whole number, sent only as its range: <1, 1..9, 10+): how many files",
        "Events are named only inspect, GET /api/*", "Weak spot: search.label is free text");
    assertThat(PrivacyStatement.summary(PrivacyPolicy.defaultPolicy())).doesNotContain("Weak spot", "Events are named only");
  }
}
