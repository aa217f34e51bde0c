package dev.otelanalytics.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```java} block of README.md and docs/*.md is a region of this module's compiled
 * sources, to the character: a block says which with {@code <!-- snippet: NAME -->} on the line
 * before, and the source marks the region with {@code // snippet:NAME} and {@code // end-snippet}.
 * So each Java snippet a reader copies compiles, and the tests of this module run it.
 */
class JavaSnippetsTest {
  private static final Pattern START = Pattern.compile("^\\s*// snippet:(\\S+)\\s*$");
  private static final Pattern END = Pattern.compile("^\\s*// end-snippet\\s*$");
  private static final Pattern TAG = Pattern.compile("snippet:\\s*(\\S+)");

  @Test
  void everyJavaBlockIsTheRegionItNames() throws IOException {
    Map<String, String> regions = regions();
    List<String> problems = new ArrayList<>();
    for (Docs.Block block : Docs.blocks()) {
      if (!block.language().equalsIgnoreCase("java")) {
        continue;
      }
      Matcher tag = block.tag() == null ? null : TAG.matcher(block.tag());
      if (tag == null || !tag.matches()) {
        problems.add(block.where() + ": a ```java block without <!-- snippet: NAME --> on the line before. Put the code"
            + " in examples/snippets/src/main/java between // snippet:NAME and // end-snippet, and tag the block."
            + " Regions: " + regions.keySet());
        continue;
      }
      String name = tag.group(1);
      String expected = regions.get(name);
      if (expected == null) {
        problems.add(block.where() + ": no region '" + name + "' in examples/snippets/src/main/java; regions: " + regions.keySet());
      } else if (!expected.equals(block.text())) {
        problems.add(block.where() + ": the block differs from region '" + name + "'. Paste this in its place:\n\n"
            + "<!-- snippet: " + name + " -->\n```java\n" + expected + "```\n");
      }
    }
    assertThat(problems).as("Java blocks of the documents").isEmpty();
  }

  @Test
  void everyRegionIsShownInADocument() throws IOException {
    TreeSet<String> shown = Docs.blocks().stream()
        .filter(b -> b.language().equalsIgnoreCase("java") && b.tag() != null)
        .map(b -> TAG.matcher(b.tag()))
        .filter(Matcher::matches)
        .map(m -> m.group(1))
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(shown).as("regions shown in README.md or docs/*.md").containsAll(regions().keySet());
  }

  /** Region name → its text, de-indented, one '\n' after every line. */
  static Map<String, String> regions() throws IOException {
    Map<String, String> regions = new LinkedHashMap<>();
    Path sources = Docs.root().resolve("examples/snippets/src/main/java");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
    }
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      String name = null;
      List<String> region = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        Matcher start = START.matcher(line);
        if (start.matches()) {
          assertThat(name).as("%s:%d: a region starts inside region '%s'", file, i + 1, name).isNull();
          name = start.group(1);
          region.clear();
        } else if (END.matcher(line).matches()) {
          assertThat(name).as("%s:%d: // end-snippet without // snippet:NAME", file, i + 1).isNotNull();
          assertThat(regions.put(name, deIndented(region))).as("region '%s' defined twice", name).isNull();
          name = null;
        } else if (name != null) {
          region.add(line);
        }
      }
      assertThat(name).as("%s: region '%s' has no // end-snippet", file, name).isNull();
    }
    return regions;
  }

  private static String deIndented(List<String> lines) {
    int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(JavaSnippetsTest::indentOf).min().orElse(0);
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      out.append(line.isBlank() ? "" : line.substring(indent).stripTrailing()).append('\n');
    }
    return out.toString();
  }

  private static int indentOf(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    return i;
  }
}
