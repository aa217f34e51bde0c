package dev.otelanalytics.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.internal.guard.GuardReason;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The value-guard list of the documents is generated from {@link GuardReason}, the text the
 * privacy statement (PRIVACY.md, {@code telemetry policy}) uses too, so the two never tell
 * different stories and neither promises more than the code checks.
 */
class ValueGuardsDocTest {
  static final String START = "<!-- generated:value-guards -->";
  static final String END = "<!-- end generated -->";

  /** One bullet per reason, in the enum's order. */
  static String generated() {
    StringBuilder out = new StringBuilder();
    for (GuardReason reason : GuardReason.values()) {
      out.append("- ").append(reason.description()).append('\n');
    }
    return out.toString();
  }

  @Test
  void everyValueGuardListIsTheGeneratedOne() {
    List<String> problems = new ArrayList<>();
    int found = 0;
    for (Path doc : Docs.documents()) {
      List<String> lines = Docs.lines(doc);
      for (int i = 0; i < lines.size(); i++) {
        if (!lines.get(i).trim().equals(START)) {
          continue;
        }
        found++;
        StringBuilder block = new StringBuilder();
        int j = i + 1;
        while (j < lines.size() && !lines.get(j).trim().equals(END)) {
          block.append(lines.get(j)).append('\n');
          j++;
        }
        String where = Docs.root().relativize(doc) + ":" + (i + 1);
        if (j == lines.size()) {
          problems.add(where + ": " + START + " without " + END);
        } else if (!block.toString().equals(generated())) {
          problems.add(where + ": the value-guard list differs from GuardReason's descriptions. Paste this in its place:\n\n"
              + START + "\n" + generated() + END + "\n");
        }
        i = j;
      }
    }
    assertThat(found).as("documents holding " + START).isPositive();
    assertThat(problems).isEmpty();
  }
}
