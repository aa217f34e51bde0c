package dev.otelanalytics.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.snippets.autoconfigure.MyCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code sh} blocks tagged {@code <!-- snippet-env: NAME -->} are the variables a reader sets
 * beside the SDK autoconfigure. Each is run as pasted: its {@code export} lines are the whole
 * environment (plus a state directory of the test's) of the autoconfigure snippet's app, on a
 * class path without the OTLP exporter. The app must start, exit 0 and store its one event.
 */
class EnvSnippetsTest {
  private static final Pattern TAG = Pattern.compile("snippet-env:\\s*(\\S+)");
  private static final Pattern EXPORT =
      Pattern.compile("^export\\s+([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|'[^']*'|[^\\s#]*)\\s*(?:#.*)?$");

  @TempDir Path temp;

  static List<Docs.Block> envBlocks() {
    return Docs.blocks().stream()
        .filter(b -> b.tag() != null && TAG.matcher(b.tag()).matches())
        .collect(Collectors.toList());
  }

  @Test
  void theAutoconfigureAndUsageReportBlocksAreTagged() {
    List<String> names = envBlocks().stream().map(EnvSnippetsTest::name).collect(Collectors.toList());
    assertThat(names).contains("autoconfigure", "usage-reports");
  }

  @TestFactory
  List<DynamicTest> everyEnvBlockRunsAsPasted() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Docs.Block block : envBlocks()) {
      tests.add(DynamicTest.dynamicTest(name(block) + " (" + block.where() + ")", () -> runs(block)));
    }
    return tests;
  }

  private void runs(Docs.Block block) throws Exception {
    Map<String, String> env = exports(block);
    Path state = Files.createTempDirectory(temp, "state");
    Map<String, String> withState = new LinkedHashMap<>(env);
    withState.put("OTEL_ANALYTICS_STATE_DIR", state.toString());

    JavaProcess.Result run = JavaProcess.run(MyCli.class, withState, temp);

    assertThat(run.exitCode()).as("%s with %s:\n%s", block.where(), env, run.describe()).isZero();
    List<String> events = JavaProcess.storedEvents(state);
    assertThat(events).as("%s with %s:\n%s", block.where(), env, run.describe()).hasSize(1);
    assertThat(events.get(0)).contains("\"event\":\"inspect\"");
    if (env.getOrDefault("OTEL_METRICS_EXPORTER", "").contains("analytics")) {
      // The usage-report exporter ran: the open window holds the snippet's counter.
      assertThat(state.resolve("usage-window.json")).content().contains("cli.items.inspected");
    }
  }

  private static String name(Docs.Block block) {
    Matcher m = TAG.matcher(block.tag());
    return m.matches() ? m.group(1) : block.tag();
  }

  /** The block's {@code export NAME=VALUE} lines; any other command fails, since the test would not run it. */
  static Map<String, String> exports(Docs.Block block) {
    Map<String, String> env = new LinkedHashMap<>();
    String[] lines = block.text().split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m = EXPORT.matcher(line);
      assertThat(m.matches())
          .as("%s, line %d of the block: only 'export NAME=VALUE' lines belong in a snippet-env block: %s",
              block.where(), i + 1, line)
          .isTrue();
      String value = m.group(2);
      if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      env.put(m.group(1), value);
    }
    return env;
  }
}
