package dev.otelanalytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java agent extension jar ({@code -agent-extension} classifier, built by the shade plugin
 * at {@code package}): our classes, our SPI file, and every third-party class relocated under
 * {@code dev.otelanalytics.shaded}, so it can never meet the agent's (or the app's) OkHttp,
 * Kotlin or Jackson. OpenTelemetry itself comes from the agent and must not be inside.
 */
class AgentExtensionJarIT {
  private static final String PROVIDER_SPI =
      "META-INF/services/io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider";
  private static final String METRIC_EXPORTER_SPI =
      "META-INF/services/io.opentelemetry.sdk.autoconfigure.spi.metrics.ConfigurableMetricExporterProvider";
  /** Packages of the bundled libraries: a class that links to one of these unrelocated would fail under the agent. */
  private static final Pattern UNRELOCATED = Pattern.compile(
      "(^\\[*|L)(okhttp3|okio|kotlin|com/fasterxml/jackson|org/yaml/snakeyaml|org/jetbrains/annotations"
          + "|org/intellij/lang/annotations)/");

  private static Path jar;
  private static final Map<String, byte[]> entries = new HashMap<>();

  @BeforeAll
  static void readJar() throws IOException {
    String property = System.getProperty("agent.extension.jar");
    assertThat(property).as("system property agent.extension.jar (run with 'mvn verify')").isNotNull();
    jar = Path.of(property);
    assertThat(jar).as("the extension jar").isRegularFile();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry entry : Collections.list(file.entries())) {
        if (!entry.isDirectory()) {
          try (InputStream in = file.getInputStream(entry)) {
            entries.put(entry.getName(), in.readAllBytes());
          }
        }
      }
    }
  }

  @Test
  void everyClassIsOursOrRelocatedUnderOurPackage() {
    List<String> classes = entries.keySet().stream().filter(n -> n.endsWith(".class")).sorted().toList();
    assertThat(classes).as("classes in %s", jar.getFileName()).hasSizeGreaterThan(100);
    assertThat(classes).as("classes outside dev/otelanalytics/ (unrelocated third-party code)")
        .allMatch(n -> n.startsWith("dev/otelanalytics/"));
    assertThat(classes).as("the relocated libraries are there")
        .anyMatch(n -> n.startsWith("dev/otelanalytics/shaded/okhttp3/"))
        .anyMatch(n -> n.startsWith("dev/otelanalytics/shaded/okio/"))
        .anyMatch(n -> n.startsWith("dev/otelanalytics/shaded/kotlin/"))
        .anyMatch(n -> n.startsWith("dev/otelanalytics/shaded/com/fasterxml/jackson/core/"))
        .anyMatch(n -> n.startsWith("dev/otelanalytics/shaded/com/fasterxml/jackson/dataformat/yaml/"))
        .anyMatch(n -> n.startsWith("dev/otelanalytics/shaded/org/yaml/snakeyaml/"));
    assertThat(classes).as("our own classes").contains(
        "dev/otelanalytics/internal/autoconfigure/AnalyticsCustomizerProvider.class",
        "dev/otelanalytics/OtelAnalytics.class",
        "dev/otelanalytics/destination/PostHogDestination.class");
  }

  @Test
  void openTelemetryIsNotBundled() {
    assertThat(entries.keySet()).noneMatch(n -> n.startsWith("io/opentelemetry/") || n.contains("/io/opentelemetry/"));
  }

  @Test
  void noOtherEntriesOutsideOurPackageThanMetadata() {
    assertThat(entries.keySet())
        .as("entries that are neither under dev/otelanalytics/ nor META-INF/")
        .allMatch(n -> n.startsWith("dev/otelanalytics/") || n.startsWith("META-INF/"));
    assertThat(entries.keySet()).as("no multi-release, module or signature files")
        .noneMatch(n -> n.startsWith("META-INF/versions/") || n.endsWith("module-info.class")
            || n.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)"));
    assertThat(entries).containsKey("dev/otelanalytics/version.properties");
    assertThat(new String(entries.get("dev/otelanalytics/version.properties"), StandardCharsets.UTF_8))
        .as("filtered with the project version").doesNotContain("${");
  }

  @Test
  void theServiceFileNamesOurProvider() {
    assertThat(entries).containsKey(PROVIDER_SPI);
    List<String> providers = new String(entries.get(PROVIDER_SPI), StandardCharsets.UTF_8).lines()
        .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    assertThat(providers).containsExactly("dev.otelanalytics.internal.autoconfigure.AnalyticsCustomizerProvider");
  }

  @Test
  void theMetricExporterServiceFileNamesOurProvider() {
    assertThat(entries).containsKey(METRIC_EXPORTER_SPI);
    assertThat(new String(entries.get(METRIC_EXPORTER_SPI), StandardCharsets.UTF_8).lines().map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList())
        .containsExactly("dev.otelanalytics.internal.autoconfigure.AnalyticsMetricExporterProvider");
  }

  @Test
  void bundledServiceFilesAreRelocatedToo() {
    List<String> services = entries.keySet().stream().filter(n -> n.startsWith("META-INF/services/")).sorted().toList();
    for (String service : services) {
      // OpenTelemetry's own SPI names stay as they are: the agent looks them up by those names.
      if (service.equals(PROVIDER_SPI) || service.equals(METRIC_EXPORTER_SPI)) {
        continue;
      }
      assertThat(service).as("a bundled library's service interface").startsWith("META-INF/services/dev.otelanalytics.shaded.");
      assertThat(new String(entries.get(service), StandardCharsets.UTF_8).lines().map(String::trim)
          .filter(l -> !l.isEmpty() && !l.startsWith("#")))
          .as("implementations in %s", service).allMatch(l -> l.startsWith("dev.otelanalytics.shaded."));
    }
  }

  /**
   * Reads each class's constant pool and member descriptors: every class it links to must be
   * relocated as well. (Kotlin metadata and debug strings still spell the old names; they are
   * not linked, so they are not looked at.)
   */
  @Test
  void noClassLinksToAnUnrelocatedLibraryClass() throws IOException {
    Set<String> problems = new TreeSet<>();
    Set<String> openTelemetryPackages = new TreeSet<>();
    for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
      if (!entry.getKey().endsWith(".class")) {
        continue;
      }
      for (String name : linkedNames(entry.getValue())) {
        if (UNRELOCATED.matcher(name).find()) {
          problems.add(entry.getKey() + " -> " + name);
        }
        java.util.regex.Matcher otel = Pattern.compile("io/opentelemetry/[a-z]+").matcher(name);
        while (otel.find()) {
          openTelemetryPackages.add(otel.group());
        }
      }
    }
    assertThat(problems).as("links to unrelocated classes").isEmpty();
    assertThat(openTelemetryPackages).as("the OpenTelemetry parts we need from the agent")
        .isSubsetOf("io/opentelemetry/api", "io/opentelemetry/context", "io/opentelemetry/sdk");
  }

  /** Class names and descriptors a class file links to: Class, NameAndType and MethodType constants, and member descriptors. */
  private static List<String> linkedNames(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(classFile));
    assertThat(in.readInt()).isEqualTo(0xCAFEBABE);
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    Set<Integer> linked = new HashSet<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 3, 4 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++;
        }
        case 7, 16 -> linked.add(in.readUnsignedShort());
        case 8, 19, 20 -> in.readUnsignedShort();
        case 12 -> {
          in.readUnsignedShort();
          linked.add(in.readUnsignedShort());
        }
        case 9, 10, 11, 17, 18 -> in.readInt();
        case 15 -> {
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    in.readUnsignedShort(); // access flags
    in.readUnsignedShort(); // this class
    in.readUnsignedShort(); // super class
    in.skipBytes(2 * in.readUnsignedShort()); // interfaces (Class constants, seen above)
    for (int kind = 0; kind < 2; kind++) { // fields, then methods
      int members = in.readUnsignedShort();
      for (int m = 0; m < members; m++) {
        in.readUnsignedShort(); // access flags
        in.readUnsignedShort(); // name
        linked.add(in.readUnsignedShort()); // descriptor
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
          in.readUnsignedShort();
          in.skipBytes(in.readInt());
        }
      }
    }
    List<String> names = new ArrayList<>();
    for (int index : linked) {
      if (utf8[index] != null) {
        names.add(utf8[index]);
      }
    }
    return names;
  }
}
