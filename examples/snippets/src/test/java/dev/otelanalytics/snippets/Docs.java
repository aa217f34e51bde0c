package dev.otelanalytics.snippets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The repository's documents (README.md and docs/*.md) and their fenced code blocks. */
final class Docs {
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})\\s*([^`\\s]*).*$");
  private static final Pattern TAG = Pattern.compile("^\\s*<!--\\s*(.*?)\\s*-->\\s*$");

  private Docs() {}

  /** The repository root (set by the module's pom; the module's working directory otherwise). */
  static Path root() {
    String configured = System.getProperty("snippets.repository.root");
    Path root = configured != null ? Paths.get(configured) : Paths.get("..", "..");
    return root.toAbsolutePath().normalize();
  }

  /** README.md, then docs/*.md in name order: the documents whose snippets must compile and run. */
  static List<Path> documents() {
    List<Path> out = new ArrayList<>();
    out.add(root().resolve("README.md"));
    try (Stream<Path> docs = Files.list(root().resolve("docs"))) {
      out.addAll(docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().collect(Collectors.toList()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** A fenced code block: where it starts, its language, the HTML comment on the line before (or null), its text. */
  record Block(Path file, int line, String language, String tag, String text) {
    /** {@code docs/events.md:12}, relative to the repository root. */
    String where() {
      return root().relativize(file) + ":" + line;
    }
  }

  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Block> blocks(Path file) {
    List<String> lines = lines(file);
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = FENCE.matcher(lines.get(i));
      if (!open.matches()) {
        continue;
      }
      String fence = open.group(1);
      String tag = null;
      if (i > 0) {
        Matcher t = TAG.matcher(lines.get(i - 1));
        tag = t.matches() ? t.group(1) : null;
      }
      StringBuilder text = new StringBuilder();
      int j = i + 1;
      while (j < lines.size() && !isClosing(lines.get(j), fence)) {
        text.append(lines.get(j)).append('\n');
        j++;
      }
      out.add(new Block(file, i + 1, open.group(2), tag, text.toString()));
      i = j;
    }
    return out;
  }

  static List<Block> blocks() {
    List<Block> out = new ArrayList<>();
    for (Path doc : documents()) {
      out.addAll(blocks(doc));
    }
    return out;
  }

  private static boolean isClosing(String line, String fence) {
    String trimmed = line.trim();
    return trimmed.length() >= fence.length() && trimmed.chars().allMatch(c -> c == fence.charAt(0));
  }

  /** The lines of {@code file} outside fenced code blocks (blank where a block was), to keep line numbers. */
  static List<String> prose(Path file) {
    List<String> lines = new ArrayList<>(lines(file));
    String fence = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (fence == null) {
        Matcher open = FENCE.matcher(line);
        if (open.matches()) {
          fence = open.group(1);
          lines.set(i, "");
        }
      } else {
        if (isClosing(line, fence)) {
          fence = null;
        }
        lines.set(i, "");
      }
    }
    return lines;
  }
}
