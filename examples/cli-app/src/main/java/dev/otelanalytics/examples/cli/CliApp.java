package dev.otelanalytics.examples.cli;

import dev.otelanalytics.AnalyticsControl;
import dev.otelanalytics.cli.AnalyticsCli;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A small container-inspection-style CLI, instrumented the ordinary way: the SDK autoconfigure
 * and one root span per command. It knows nothing about analytics; dropping the otel-analytics
 * jar on its class path and setting {@code OTEL_ANALYTICS_ENABLED=true} is all it takes.
 *
 * <p>Like many real CLIs it is careless with its spans: it records its raw arguments
 * ({@code cli.args}), which can hold paths and names, and exceptions whose messages hold paths.
 * The analytics policy keeps none of that.
 *
 * <p>It also counts the directory entries it inspects ({@code cli.items.inspected}) through the
 * Meter API, with the inspected path as an attribute (careless again). With
 * {@code OTEL_METRICS_EXPORTER=analytics} the counts become one usage report a day; the path
 * attribute is not in the policy, so it is summed away.
 */
public final class CliApp {
  static final String VERSION = "0.1.0";
  static final String ITEMS_INSPECTED = "cli.items.inspected";
  private static final AttributeKey<String> COMMAND = AttributeKey.stringKey("cli.command");
  private static final AttributeKey<String> TARGET = AttributeKey.stringKey("inspect.target");

  private CliApp() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("telemetry")) {
      // Before the SDK starts: looking at or changing analytics is never itself recorded.
      System.exit(telemetry(Arrays.copyOfRange(args, 1, args.length), Map.of(), System.out, System.err));
    }
    int exitCode;
    OpenTelemetrySdk sdk = openTelemetry(Map.of());
    try {
      exitCode = run(args, sdk, System.out, System.err);
    } finally {
      // Flushes analytics (bounded by OTEL_ANALYTICS_SHUTDOWN_TIMEOUT) and the app's own exporters.
      sdk.close();
    }
    System.exit(exitCode);
  }

  /**
   * {@code cli-app telemetry status|show|export|clear|level}: what a host app offers its users,
   * in one call to the library's command line.
   */
  static int telemetry(String[] args, Map<String, String> overrides, PrintStream out, PrintStream err) {
    AnalyticsControl control = AnalyticsControl.create(
        name -> overrides.containsKey(name) ? overrides.get(name) : AnalyticsControl.systemSetting(name),
        System::getenv, "cli-app");
    return AnalyticsCli.run(control, "cli-app telemetry", args, out, err);
  }

  /** The app's SDK: everything from OTEL_* settings, plus {@code overrides} (tests use them). */
  static OpenTelemetrySdk openTelemetry(Map<String, String> overrides) {
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> Map.of("otel.service.name", "cli-app"))
        .addPropertiesSupplier(() -> overrides)
        // The app's own resource facts; anything the user configured wins.
        .addResourceCustomizer((resource, config) -> Resource.create(Attributes.builder()
                .put("service.version", VERSION)
                .put("os.type", osType())
                .build())
            .merge(resource))
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk();
  }

  /** Runs one command as one root span; returns the exit code. */
  static int run(String[] args, OpenTelemetry openTelemetry, PrintStream out, PrintStream err) {
    Tracer tracer = openTelemetry.getTracer("dev.otelanalytics.examples.cli", VERSION);
    String command = args.length == 0 ? "help" : args[0];
    List<String> rest = args.length == 0 ? List.of() : Arrays.asList(args).subList(1, args.length);
    boolean known = List.of("inspect", "report", "version", "help").contains(command);
    // The span is named after the command only: never after what the user typed.
    Span span = tracer.spanBuilder(known ? command : "unknown-command").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      span.setAttribute("cli.command", known ? command : "unknown");
      span.setAttribute("cli.args", String.join(" ", rest));
      switch (command) {
        case "inspect":
          return inspect(rest, span, itemsInspected(openTelemetry), out);
        case "report":
          return report(rest, span, out, err);
        case "version":
          out.println("cli-app " + VERSION);
          return 0;
        case "help":
          usage(out);
          return 0;
        default:
          err.println("cli-app: unknown command '" + command + "'");
          usage(err);
          return 2;
      }
    } catch (IOException | RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR);
      err.println("cli-app: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      return 1;
    } finally {
      span.end();
    }
  }

  private static LongCounter itemsInspected(OpenTelemetry openTelemetry) {
    return openTelemetry.getMeter("dev.otelanalytics.examples.cli").counterBuilder(ITEMS_INSPECTED)
        .setDescription("directory entries and files inspected").setUnit("{item}").build();
  }

  private static int inspect(List<String> args, Span span, LongCounter itemsInspected, PrintStream out) throws IOException {
    List<String> paths = new ArrayList<>();
    String owner = null;
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--owner") && i + 1 < args.size()) {
        owner = args.get(++i);
      } else {
        paths.add(args.get(i));
      }
    }
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("inspect needs at least one directory or file");
    }
    span.setAttribute("inspect.target_count", paths.size());
    for (String target : paths) {
      Path path = Paths.get(target);
      if (!Files.exists(path)) {
        throw new NoSuchFileException(target);
      }
      if (Files.isDirectory(path)) {
        try (Stream<Path> entries = Files.list(path)) {
          long count = entries.filter(ownedBy(owner)).count();
          itemsInspected.add(count, Attributes.of(COMMAND, "inspect", TARGET, target));
          out.println(target + ": directory, " + count + " entries" + (owner == null ? "" : " owned by " + owner));
        }
      } else {
        itemsInspected.add(1, Attributes.of(COMMAND, "inspect", TARGET, target));
        out.println(target + ": file, " + Files.size(path) + " bytes");
      }
    }
    return 0;
  }

  private static Predicate<Path> ownedBy(String owner) {
    return entry -> {
      try {
        return owner == null || Files.getOwner(entry).getName().equals(owner);
      } catch (IOException e) {
        return false;
      }
    };
  }

  private static int report(List<String> options, Span span, PrintStream out, PrintStream err) {
    String format = "text";
    for (int i = 0; i < options.size(); i++) {
      if (options.get(i).equals("--format") && i + 1 < options.size()) {
        format = options.get(++i);
      }
    }
    if (!format.equals("text") && !format.equals("json")) {
      err.println("cli-app: --format must be text or json");
      return 2;
    }
    span.setAttribute("report.format", format);
    String java = System.getProperty("java.version");
    int cpus = Runtime.getRuntime().availableProcessors();
    if (format.equals("json")) {
      out.println("{\"os\":\"" + osType() + "\",\"java\":\"" + java + "\",\"cpus\":" + cpus + "}");
    } else {
      out.println("os: " + osType() + "\njava: " + java + "\ncpus: " + cpus);
    }
    return 0;
  }

  private static void usage(PrintStream out) {
    out.println("usage: cli-app inspect PATH... [--owner NAME] | report [--format text|json] | version | help");
    out.println("       cli-app telemetry status | show [N] | export FILE | clear | level off|local|anonymous");
  }

  private static String osType() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.startsWith("windows")) {
      return "windows";
    }
    if (os.startsWith("mac")) {
      return "darwin";
    }
    return os.startsWith("linux") ? "linux" : "unknown";
  }
}
