package dev.otelanalytics.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cli-app telemetry <verb>} as a user runs it: arguments in, exit code and text out. */
class TelemetryCommandTest {
  @TempDir Path temp;
  private Map<String, String> settings;

  record Result(int exitCode, String out, String err) {}

  @BeforeEach
  void settings() {
    settings = new HashMap<>();
    settings.put("otel.traces.exporter", "none");
    settings.put("otel.metrics.exporter", "none");
    settings.put("otel.logs.exporter", "none");
    settings.put("otel.analytics.enabled", "true");
    settings.put("otel.analytics.policy.file", Path.of("analytics-policy.yaml").toAbsolutePath().toString());
    settings.put("otel.analytics.state.dir", temp.resolve("state").toString());
  }

  private Result telemetry(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = CliApp.telemetry(args, settings, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private void command(String... args) {
    try (var sdk = CliApp.openTelemetry(settings)) {
      CliApp.run(args, sdk, new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
    }
  }

  @Test
  void statusSaysWhatIsCollectedWhereItGoesAndHowToStopIt() {
    command("version");
    Result r = telemetry("status");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("Usage analytics for cli-app")
        .contains("Level:        anonymous")
        .contains("Destination:  local store only (nothing leaves this machine)")
        .contains("Local store:  1 event, kept 90 days")
        .contains("- cli.command (one of: inspect, report, version, help, unknown; anything else is sent as other):"
            + " which command was run (its arguments are never kept)")
        .contains("- inspect.target_count (a whole number, sent only as its range: <1, 1, 2..4, 5..9, 10..99, 100+)")
        .contains("Events are named only inspect, report, version, help, unknown-command; any other name is sent as other.")
        .contains("Usage reports (totals once every day, nothing per use) of:\n"
            + "  - cli.items.inspected: how many directory entries inspections look at, to size the feature\n")
        .contains("Never collected: exception messages")
        .contains("To turn it off: set DO_NOT_TRACK=1, or run: cli-app telemetry level off");
    assertThat(telemetry().out()).as("status is the default verb").isEqualTo(r.out());
  }

  @Test
  void levelOffIsStoredAndReportedByStatus() {
    Result set = telemetry("level", "off");
    assertThat(set.exitCode()).isZero();
    assertThat(set.out()).contains("Analytics is now off: nothing is collected or sent, not even locally.")
        .endsWith("Programs of cli-app running now keep the level they started with until they restart.\n");
    assertThat(telemetry("status").out()).contains("Level:        off").contains("Why:          the level was set to off with the level command");

    command("inspect", ".");
    assertThat(temp.resolve("state/events")).doesNotExist();
  }

  @Test
  void levelSaysWhenASignalKeepsItLower() {
    settings.put("otel.analytics.level", "local");
    Result r = telemetry("level", "anonymous");
    assertThat(r.out()).contains("Analytics is now anonymous").contains("In force: local, because OTEL_ANALYTICS_LEVEL is local.");
  }

  @Test
  void showPrintsTheLastEventsExactlyAsStored() {
    command("inspect", ".");
    command("report");
    Result r = telemetry("show", "1");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("The last 1 event, oldest first, exactly as stored:")
        .contains("\"event\" : \"report\"").doesNotContain("\"event\" : \"inspect\"");
    assertThat(telemetry("show").out()).contains("The last 2 events");
  }

  @Test
  void showWithNothingStoredSaysSo() {
    assertThat(telemetry("show").out()).isEqualTo("No events are stored on this machine.\n");
  }

  @Test
  void exportWritesEveryEventAsJson() throws Exception {
    command("report");
    Path file = temp.resolve("export.json");
    Result r = telemetry("export", file.toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("Exported 1 event to " + file + "\n");
    assertThat(Files.readString(file)).startsWith("[\n{\"event\":\"report\"").endsWith("}\n]\n");
  }

  @Test
  void clearDeletesAndSaysWhat() {
    command("report");
    Result r = telemetry("clear");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("Deleted 1 stored event and 0 waiting batches; the install id, deployment id and hash key are new.\n"
        + "Programs of cli-app running now keep the old ids and key, and the events they hold, until they restart.\n");
    assertThat(telemetry("show").out()).isEqualTo("No events are stored on this machine.\n");
  }

  @Test
  void mistakesGetUsageAndExitCodeTwo() {
    Result unknown = telemetry("forget-me");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("cli-app telemetry: unknown command 'forget-me'")
        .contains("usage: cli-app telemetry status | show [N] | export FILE | clear | level off|local|anonymous");
    assertThat(telemetry("level", "maximum").err()).contains("level takes one of off, local, anonymous");
    assertThat(telemetry("show", "0").err()).contains("show takes a positive number of events");
    assertThat(telemetry("export").exitCode()).isEqualTo(2);
  }

  @Test
  void policyPrintsThePrivacyStatementOfThePolicyInForce() {
    Result text = telemetry("policy");
    assertThat(text.exitCode()).isZero();
    assertThat(text.out()).contains("What cli-app collects about its use",
        "cli.command (one of: inspect, report, version, help, unknown; anything else is sent as other): which command was run",
        "Never collected", "Set DO_NOT_TRACK=1", "cli-app telemetry level off").doesNotContain("| `");
    Result markdown = telemetry("policy", "--markdown");
    assertThat(markdown.out()).startsWith("# What cli-app collects about its use")
        .contains("| `cli.command` | one of: inspect, report, version, help, unknown; anything else is sent as other"
            + " | which command was run (its arguments are never kept) |");
  }

  @Test
  void policyRendersAnotherFileAndReportsItsErrorsByLine() throws Exception {
    Path other = Files.writeString(temp.resolve("other.yaml"),
        "version: 1\nattributes:\n  hash:\n    - {key: enduser.id, why: \"count distinct users\"}\n");
    assertThat(telemetry("policy", "--markdown", "--policy", other.toString()).out())
        .contains("## Kept only as a keyed hash", "| `enduser.id` | count distinct users |", "HMAC-SHA256");

    Path bad = Files.writeString(temp.resolve("bad.yaml"), "version: 1\nattributes:\n  allow:\n    - {key: url.full, why: x}\n");
    Result r = telemetry("policy", "--policy", bad.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("line 4", "url.full", "can never be collected");
  }

  @Test
  void policyCollectorPrintsAGatewayConfigurationForThePolicyInForceOrAFile() throws Exception {
    Result inForce = telemetry("policy", "--collector");
    assertThat(inForce.exitCode()).isZero();
    assertThat(inForce.out()).startsWith("# OpenTelemetry Collector gateway for otel-analytics")
        .contains("# Regenerate with: cli-app telemetry policy --collector\n")
        .contains("      - cli.command\n", "      - os.type\n", "metric.name == \"cli.items.inspected\"")
        .doesNotContain("OTEL_ANALYTICS_HASH_KEY");

    Path other = Files.writeString(temp.resolve("gateway.yaml"),
        "version: 1\nattributes:\n  hash:\n    - {key: enduser.id, why: \"count distinct users\"}\n");
    Result file = telemetry("policy", "--collector", "--policy", other.toString());
    assertThat(file.exitCode()).isZero();
    assertThat(file.out()).contains("# Policy: policy file " + other + "\n", "hmac_key: ${env:OTEL_ANALYTICS_HASH_KEY}")
        .doesNotContain("cli.command");

    Result missing = telemetry("policy", "--collector", "--policy", temp.resolve("missing.yaml").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.out()).isEmpty();
    assertThat(missing.err()).isEqualTo("cli-app telemetry: policy file " + temp.resolve("missing.yaml") + " does not exist"
        + System.lineSeparator());
  }

  @Test
  void telemetryCommandsAreNeverRecordedThemselves() {
    telemetry("status");
    telemetry("level", "local");
    assertThat(temp.resolve("state/events")).doesNotExist();
  }
}
