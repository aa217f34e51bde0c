package dev.otelanalytics.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the repository's Markdown documents leads somewhere: the file exists, and
 * a {@code #fragment} names a heading (by GitHub's rules) or an {@code <a id>} of the target.
 */
class MarkdownLinksTest {
  /** {@code [text](target)} and {@code ![alt](target)}, target without spaces, optional "title". */
  private static final Pattern LINK = Pattern.compile("\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  private static final Pattern INLINE_CODE = Pattern.compile("(`+)(.+?)\\1");
  private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

  @Test
  void everyRelativeLinkAndAnchorResolves() throws IOException {
    List<String> broken = new ArrayList<>();
    Map<Path, Set<String>> anchors = new HashMap<>();
    List<Path> documents = markdownFiles();
    assertThat(documents).contains(Docs.root().resolve("README.md"));
    for (Path doc : documents) {
      List<String> lines = Docs.prose(doc);
      for (int i = 0; i < lines.size(); i++) {
        Matcher link = LINK.matcher(INLINE_CODE.matcher(lines.get(i)).replaceAll(""));
        while (link.find()) {
          String target = link.group(1);
          if (SCHEME.matcher(target).find()) {
            continue; // https:, mailto:: not checked here (no network in the build)
          }
          String where = Docs.root().relativize(doc) + ":" + (i + 1) + ": " + target;
          int hash = target.indexOf('#');
          String path = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
          String fragment = hash < 0 ? null : target.substring(hash + 1);
          Path file = path.isEmpty() ? doc : doc.getParent().resolve(path).normalize();
          if (!file.startsWith(Docs.root()) || !Files.exists(file)) {
            broken.add(where + " (no such file)");
            continue;
          }
          if (fragment != null && file.toString().endsWith(".md")
              && !anchors.computeIfAbsent(file, MarkdownLinksTest::anchorsOf).contains(fragment)) {
            broken.add(where + " (no heading or <a id> '" + fragment + "' in " + Docs.root().relativize(file)
                + "; it has " + anchors.get(file) + ")");
          }
        }
      }
    }
    assertThat(broken).as("broken links").isEmpty();
  }

  @Test
  void anchorsFollowGitHubsRules() {
    assertThat(slug("Sending to Google Analytics 4")).isEqualTo("sending-to-google-analytics-4");
    assertThat(slug("With the SDK autoconfigure")).isEqualTo("with-the-sdk-autoconfigure");
    assertThat(slug("`OTEL_ANALYTICS_ENABLED` and friends")).isEqualTo("otel_analytics_enabled-and-friends");
    assertThat(slug("Delivery: what is kept, & for how long?")).isEqualTo("delivery-what-is-kept--for-how-long");
    assertThat(slug("[PostHog](posthog.md) answers")).isEqualTo("posthog-answers");
  }

  /** The tracked Markdown documents: the repository root's, docs/, and each module's README. */
  static List<Path> markdownFiles() throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path dir : List.of(Docs.root(), Docs.root().resolve("docs"), Docs.root().resolve("exporter"))) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        out.addAll(files.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().collect(Collectors.toList()));
      }
    }
    return out;
  }

  /** The anchors GitHub makes for {@code file}: one per heading (-1, -2 … for repeats), and each {@code <a id>}. */
  static Set<String> anchorsOf(Path file) {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String line : Docs.prose(file)) {
      Matcher heading = HEADING.matcher(line);
      if (heading.matches()) {
        String slug = slug(heading.group(1));
        int n = seen.merge(slug, 1, Integer::sum);
        anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
      }
      Matcher html = HTML_ANCHOR.matcher(line);
      while (html.find()) {
        anchors.add(html.group(1));
      }
    }
    return anchors;
  }

  /**
   * GitHub's heading anchor: the text as rendered (link targets and markup gone), lower case,
   * every character but letters, digits, '_', '-' and spaces dropped, spaces to '-'.
   */
  static String slug(String heading) {
    String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replaceAll("<[^>]+>", "");
    return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "").replace(' ', '-');
  }
}
