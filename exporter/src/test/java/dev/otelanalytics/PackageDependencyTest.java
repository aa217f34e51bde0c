package dev.otelanalytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering of the main code, read from its sources (imports and qualified names, comments
 * left out): no package depends on a package that depends back on it, and the rules the design
 * names hold (destinations are leaves; the worker does not reach into the scrubber).
 */
class PackageDependencyTest {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.otelanalytics(?:\\.[a-z]\\w*)*)\\.[A-Z]");

  @Test
  void noPackageDependsOnAPackageThatDependsBackOnIt() throws IOException {
    Map<String, Set<String>> deps = dependencies(SOURCES);
    assertThat(deps).as("packages found").containsKeys("dev.otelanalytics", "dev.otelanalytics.internal.delivery");
    assertThat(cycles(deps)).as("package cycles").isEmpty();
  }

  @Test
  void destinationsAreLeaves() throws IOException {
    Map<String, Set<String>> deps = dependencies(SOURCES);
    assertThat(deps.get("dev.otelanalytics.destination"))
        .as("the destination package may use the event model and small helpers only")
        .doesNotContain("dev.otelanalytics", "dev.otelanalytics.internal.delivery", "dev.otelanalytics.internal.config",
            "dev.otelanalytics.internal.activation", "dev.otelanalytics.internal.state", "dev.otelanalytics.internal.metrics");
  }

  @Test
  void theDeliveryWorkerGetsAMappingFunctionAndNeverReachesIntoTheScrubber() throws IOException {
    Map<String, Set<String>> deps = dependencies(SOURCES);
    assertThat(deps.get("dev.otelanalytics.internal.delivery"))
        .doesNotContain("dev.otelanalytics", "dev.otelanalytics.internal.scrub", "dev.otelanalytics.internal.guard",
            "dev.otelanalytics.policy", "dev.otelanalytics.internal.config");
  }

  @Test
  void internalCodeNeverDependsOnTheEntryPointsExceptTheSdkWiring() throws IOException {
    Map<String, Set<String>> deps = dependencies(SOURCES);
    List<String> offenders = deps.entrySet().stream()
        .filter(e -> e.getKey().startsWith("dev.otelanalytics.internal"))
        .filter(e -> !e.getKey().equals("dev.otelanalytics.internal.autoconfigure"))
        .filter(e -> e.getValue().contains("dev.otelanalytics") || e.getValue().contains("dev.otelanalytics.cli"))
        .map(Map.Entry::getKey)
        .collect(Collectors.toList());
    assertThat(offenders).isEmpty();
  }

  /** The check can fail: a made-up pair of packages that use each other is a cycle. */
  @Test
  void aCycleIsFound() {
    Map<String, Set<String>> deps = new TreeMap<>();
    deps.put("a", Set.of("b"));
    deps.put("b", Set.of("c"));
    deps.put("c", Set.of("a"));
    deps.put("d", Set.of("a"));
    assertThat(cycles(deps)).containsExactly(new TreeSet<>(Set.of("a", "b", "c")));
  }

  static Map<String, Set<String>> dependencies(Path root) throws IOException {
    Map<String, Set<String>> deps = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList());
    }
    for (Path file : files) {
      String code = withoutCommentsAndStrings(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
      Matcher pkg = PACKAGE.matcher(code);
      if (!pkg.find()) {
        continue;
      }
      Set<String> uses = deps.computeIfAbsent(pkg.group(1), k -> new TreeSet<>());
      Matcher ref = REFERENCE.matcher(code.substring(pkg.end()));
      while (ref.find()) {
        if (!ref.group(1).equals(pkg.group(1))) {
          uses.add(ref.group(1));
        }
      }
    }
    return deps;
  }

  /** Strongly connected components of more than one package (Tarjan). */
  static List<Set<String>> cycles(Map<String, Set<String>> deps) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> out = new ArrayList<>();
    for (String start : deps.keySet()) {
      if (!index.containsKey(start)) {
        connect(start, deps, index, low, stack, onStack, out);
      }
    }
    return out;
  }

  private static void connect(String v, Map<String, Set<String>> deps, Map<String, Integer> index, Map<String, Integer> low,
      Deque<String> stack, Set<String> onStack, List<Set<String>> out) {
    index.put(v, index.size());
    low.put(v, index.get(v));
    stack.push(v);
    onStack.add(v);
    for (String w : deps.getOrDefault(v, Set.of())) {
      if (!deps.containsKey(w)) {
        continue;
      }
      if (!index.containsKey(w)) {
        connect(w, deps, index, low, stack, onStack, out);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> component = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) {
        out.add(component);
      }
    }
  }

  /** Java source without comments, string and char literals (so Javadoc links and messages are not dependencies). */
  static String withoutCommentsAndStrings(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (c == '/' && i + 1 < source.length() && source.charAt(i + 1) == '/') {
        while (i < source.length() && source.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < source.length() && source.charAt(i + 1) == '*') {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? source.length() : end + 2;
        out.append(' ');
      } else if (c == '"' || c == '\'') {
        i++;
        while (i < source.length() && source.charAt(i) != c) {
          i += source.charAt(i) == '\\' ? 2 : 1;
        }
        i++;
        out.append(c).append(c);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
