package dev.otelanalytics.leaks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.internal.guard.GuardReason;
import dev.otelanalytics.internal.guard.ValueGuards;
import dev.otelanalytics.internal.scrub.AttributeScrubber;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The guards against two corpora written by someone who never saw them (issue 16): personal data
 * in seven classes, and ordinary analytics values. Each value goes through {@link ValueGuards}
 * the way an allowed attribute's value does ({@code AttributeScrubber.guardText}): cut to the
 * guards' margin and checked, then, if it passed and is longer than what is kept, cut to that and
 * checked again. The per-class table is printed so it can be quoted.
 */
class BlindCorpusTest {
  static final Path CORPUS = Paths.get("src", "test", "resources", "corpus");
  /** Personal data that must be caught, overall. */
  static final double MIN_CAUGHT = 0.97;
  /** Benign values that may be dropped, overall (strictly less). */
  static final double MAX_BENIGN_DROPPED = 0.01;

  /** The reason an allowed attribute's value would be dropped for, or null: AttributeScrubber.guardText's order. */
  static GuardReason guard(String value) {
    GuardReason reason = ValueGuards.check(AttributeScrubber.cut(value, AttributeScrubber.MAX_VALUE_LENGTH + 128));
    if (reason == null && value.length() > AttributeScrubber.MAX_VALUE_LENGTH) {
      reason = ValueGuards.check(AttributeScrubber.cut(value, AttributeScrubber.MAX_VALUE_LENGTH));
    }
    return reason;
  }

  /** class → values, in file order; lines starting with '#' and blank lines are skipped. */
  static Map<String, List<String>> read(String file) throws IOException {
    Map<String, List<String>> byClass = new LinkedHashMap<>();
    for (String line : Files.readAllLines(CORPUS.resolve(file), StandardCharsets.UTF_8)) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int tab = line.indexOf('\t');
      assertThat(tab).as("class<TAB>value: %s", line).isPositive();
      byClass.computeIfAbsent(line.substring(0, tab), k -> new ArrayList<>()).add(line.substring(tab + 1));
    }
    return byClass;
  }

  /** Prints caught/total per class and the values on the wrong side; returns {caught, total}. */
  static int[] table(String title, Map<String, List<String>> byClass, boolean shouldCatch) {
    int caught = 0;
    int total = 0;
    List<String> wrong = new ArrayList<>();
    System.out.printf(Locale.ROOT, "[blind-corpus] %s%n", title);
    for (Map.Entry<String, List<String>> e : byClass.entrySet()) {
      int classCaught = 0;
      for (String value : e.getValue()) {
        GuardReason reason = guard(value);
        if (reason != null) {
          classCaught++;
        }
        if ((reason != null) != shouldCatch) {
          wrong.add(e.getKey() + ": " + LeakFuzzTest.javaLiteral(value) + (reason == null ? "" : " (" + reason + ")"));
        }
      }
      System.out.printf(Locale.ROOT, "[blind-corpus]   %-22s %3d / %3d%n", e.getKey(), classCaught, e.getValue().size());
      caught += classCaught;
      total += e.getValue().size();
    }
    System.out.printf(Locale.ROOT, "[blind-corpus]   %-22s %3d / %3d (%.1f%%)%n", "all", caught, total, 100.0 * caught / total);
    wrong.forEach(w -> System.out.println("[blind-corpus]   " + (shouldCatch ? "missed: " : "dropped: ") + w));
    return new int[] {caught, total};
  }

  @Test
  void personalDataIsCaughtAndBenignValuesPass() throws IOException {
    int[] personal = table("personal data caught (caught / total)", read("personal-data.tsv"), true);
    int[] benign = table("benign values dropped (dropped / total)", read("benign.tsv"), false);
    assertThat(personal[1]).as("personal-data.tsv is read").isGreaterThan(200);
    assertThat(benign[1]).as("benign.tsv is read").isGreaterThan(200);
    assertThat(personal[0] / (double) personal[1]).as("share of personal data caught").isGreaterThanOrEqualTo(MIN_CAUGHT);
    assertThat(benign[0] / (double) benign[1]).as("share of benign values dropped").isLessThan(MAX_BENIGN_DROPPED);
  }
}
