package dev.otelanalytics.cli;

import dev.otelanalytics.AnalyticsControl;
import dev.otelanalytics.AnalyticsStatus;
import dev.otelanalytics.ClearResult;
import dev.otelanalytics.ExportResult;
import dev.otelanalytics.StoredEvents;
import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.destination.Ga4Destination;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.event.EventJson;
import dev.otelanalytics.policy.PolicyException;
import dev.otelanalytics.policy.PrivacyStatement;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.InvalidPathException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line people use to see and control usage analytics:
 *
 * <pre>
 * status              what is collected, where it goes, and why the level is what it is
 * show [N]            the last N events (default 10), exactly as stored
 * export FILE         every stored event, as a JSON array, into a new file (0600; never over an existing file or link)
 * clear               delete stored events and waiting batches, whatever they hold; new random ids and key
 * level off|local|anonymous   choose how much is collected (the most private setting wins)
 * policy [--markdown] [--policy FILE]   the privacy statement of the policy in force (or of FILE)
 * policy --collector [--policy FILE]    an OpenTelemetry Collector gateway configuration (YAML) applying that policy
 * validate            post a sample built from the policy to GA4's validation server; exit 1 on messages
 * </pre>
 *
 * <p>Run it as {@code java -cp ... dev.otelanalytics.cli.AnalyticsCli --service NAME status}, or
 * from a host app's own {@code telemetry} command through {@link #run}.
 */
public final class AnalyticsCli {
  private AnalyticsCli() {}

  /**
   * Runs one verb for the service named by {@code --service NAME} (else {@code otel.service.name} or
   * {@code OTEL_SERVICE_NAME}) and exits the JVM with its exit code; 2 when no service is named.
   *
   * @param args {@code --service NAME} anywhere, then the verb and its arguments; no verb means {@code status}
   */
  public static void main(String[] args) {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    String service = null;
    int at = rest.indexOf("--service");
    if (at >= 0 && at + 1 < rest.size()) {
      service = rest.get(at + 1);
      rest.remove(at + 1);
      rest.remove(at);
    }
    if (service == null) {
      service = AnalyticsControl.systemSetting("otel.service.name");
    }
    if (service == null || service.trim().isEmpty()) {
      System.err.println("otel-analytics: name the program with --service NAME (or OTEL_SERVICE_NAME)");
      System.exit(2);
    }
    System.exit(run(AnalyticsControl.fromEnvironment(service), "otel-analytics --service " + service,
        rest.toArray(new String[0]), System.out, System.err));
  }

  /**
   * Runs one verb.
   *
   * @param control the service's analytics settings and local state
   * @param command how the user invokes this command line (e.g. {@code mycli telemetry}), for hints
   * @param args the verb and its arguments; none means {@code status}
   * @param out where results (and the {@code help} text) are printed
   * @param err where errors and usage hints are printed
   * @return the exit code: 0 done, 1 failed (or {@code clear} could not delete everything), 2 usage error
   *     (an export file that exists or is inside the state directory included)
   */
  public static int run(AnalyticsControl control, String command, String[] args, PrintStream out, PrintStream err) {
    String verb = args.length == 0 ? "status" : args[0];
    boolean touchesState = verb.equals("show") || verb.equals("export") || verb.equals("clear") || verb.equals("level");
    if (touchesState && control.stateDirectoryProblem() != null) {
      err.println(command + ": " + verb + ": " + control.stateDirectoryProblem());
      return 2;
    }
    try {
      switch (verb) {
        case "status":
          if (args.length > 1) {
            return usage(command, err);
          }
          out.print(control.status().toText(command + " level"));
          return 0;
        case "show":
          return show(control, args, out, err, command);
        case "export":
          if (args.length != 2) {
            err.println(command + ": export " + (args.length < 2 ? "needs a" : "takes one") + " file: " + command
                + " export events.json");
            return 2;
          }
          return export(control, args[1], out, err, command);
        case "clear":
          if (args.length > 1) {
            return usage(command, err);
          }
          return clear(control, out, err, command);
        case "level":
          return level(control, args, out, err, command);
        case "policy":
          return policy(control, args, out, err, command);
        case "validate":
          return validate(control, args, out, err, command);
        case "help":
        case "--help":
        case "-h":
          usage(command, out);
          return 0;
        default:
          err.println(command + ": unknown command '" + verb + "'");
          return usage(command, err);
      }
    } catch (IOException e) {
      err.println(command + ": " + verb + " failed: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      return 1;
    } catch (InvalidPathException e) {
      err.println(command + ": '" + e.getInput() + "' is not a valid file name");
      return 2;
    }
  }

  private static int show(AnalyticsControl control, String[] args, PrintStream out, PrintStream err, String command)
      throws IOException {
    int n = 10;
    if (args.length > 2) {
      return usage(command, err);
    }
    if (args.length == 2) {
      try {
        n = Integer.parseInt(args[1]);
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 1) {
        err.println(command + ": show takes a positive number of events, e.g. show 5");
        return 2;
      }
    }
    StoredEvents stored = control.lastEvents(n);
    List<AnalyticsEvent> events = stored.events();
    if (events.isEmpty()) {
      out.println("No events are stored on this machine.");
    } else {
      out.println("The last " + events.size() + (events.size() == 1 ? " event" : " events") + ", oldest first, exactly as stored:");
      for (AnalyticsEvent event : events) {
        out.println(EventJson.toPrettyJson(event));
      }
    }
    if (stored.unreadableLines() > 0) {
      out.println(lines(stored.unreadableLines()) + " skipped (a partial write, e.g. on a full disk).");
    }
    return 0;
  }

  /** Export refuses (exit 2) a file that exists, a link, or a file inside the state directory. */
  private static int export(AnalyticsControl control, String file, PrintStream out, PrintStream err, String command)
      throws IOException {
    ExportResult exported;
    try {
      exported = control.export(Paths.get(file));
    } catch (FileAlreadyExistsException | IllegalArgumentException e) {
      err.println(command + ": export refused " + e.getMessage() + ": name a new file, e.g. " + command + " export events.json");
      return 2;
    }
    long n = exported.eventsExported();
    out.println("Exported " + n + (n == 1 ? " event to " : " events to ") + file
        + (exported.unreadableLines() == 0 ? "" : " (" + lines(exported.unreadableLines()) + " skipped)"));
    return 0;
  }

  /** Clear deletes what it can whatever the files hold; exit 1 when something could not be deleted. */
  private static int clear(AnalyticsControl control, PrintStream out, PrintStream err, String command) {
    ClearResult deleted = control.clear();
    long events = deleted.eventsDeleted();
    int batches = deleted.batchesDeleted();
    String what = "Deleted " + events + (events == 1 ? " stored event" : " stored events")
        + (deleted.unreadableLinesDeleted() == 0 ? "" : " (and " + lines(deleted.unreadableLinesDeleted()) + ")")
        + " and " + batches + (batches == 1 ? " waiting batch" : " waiting batches");
    out.println(what + (deleted.complete() ? "; the install id, deployment id and hash key are new." : "."));
    for (String failure : deleted.notDeleted()) {
      err.println(command + ": clear could not delete " + failure + "; delete it by hand");
    }
    out.println(stillRunning(control) + "keep the old ids and key, and the events they hold, until they restart.");
    return deleted.complete() ? 0 : 1;
  }

  /** The start of the note that the level and clear commands change files only, not running processes. */
  private static String stillRunning(AnalyticsControl control) {
    return "Programs of " + control.serviceName() + " running now ";
  }

  private static String lines(long n) {
    return n + (n == 1 ? " unreadable line" : " unreadable lines");
  }

  private static int level(AnalyticsControl control, String[] args, PrintStream out, PrintStream err, String command)
      throws IOException {
    AnalyticsLevel level = args.length == 2 ? AnalyticsLevel.parse(args[1]) : null;
    if (level == null) {
      String problem = args.length < 2 ? "level needs one of off, local, anonymous"
          : "level takes one of off, local, anonymous" + (args.length == 2 ? ", not '" + args[1] + "'" : ", once");
      err.println(command + ": " + problem + ": " + command + " level off");
      return 2;
    }
    control.setLevel(level);
    switch (level) {
      case OFF:
        out.println("Analytics is now off: nothing is collected or sent, not even locally. ("
            + command + " clear deletes what is already stored.)");
        break;
      case LOCAL:
        out.println("Analytics is now local: scrubbed events are kept on this machine only.");
        break;
      default:
        out.println("Analytics is now anonymous: scrubbed, anonymous events are sent to the configured destination.");
        break;
    }
    AnalyticsStatus status = control.status();
    if (status.level().ordinal() < level.ordinal()) {
      List<String> why = new ArrayList<>(status.reasons());
      if (status.configError() != null) {
        why.add("the configuration is invalid");
      }
      if (why.isEmpty()) {
        why.add("analytics is not enabled for this program");
      }
      out.println("In force: " + status.level().settingValue() + ", because " + String.join("; ", why) + ".");
    }
    out.println(stillRunning(control) + "keep the level they started with until they restart.");
    return 0;
  }

  private static int policy(AnalyticsControl control, String[] args, PrintStream out, PrintStream err, String command)
      throws IOException {
    boolean markdown = false;
    boolean collector = false;
    String file = null;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--markdown")) {
        markdown = true;
      } else if (args[i].equals("--collector")) {
        collector = true;
      } else if (args[i].equals("--policy") && i + 1 < args.length) {
        file = args[++i];
      } else {
        return usage(command, err);
      }
    }
    if (markdown && collector) {
      err.println(command + ": policy prints the privacy statement (--markdown) or a Collector configuration (--collector),"
          + " not both: " + command + " policy --collector > gateway.yaml");
      return 2;
    }
    // A bad --policy FILE is a bad argument: exit 2, like every other usage error.
    try {
      if (collector) {
        out.print(control.collectorConfiguration(file == null ? null : Paths.get(file),
            command + " policy --collector" + (file == null ? "" : " --policy " + file)));
        return 0;
      }
      PrivacyStatement statement = control.privacyStatement(file == null ? null : Paths.get(file), command + " level");
      out.print(markdown ? statement.toMarkdown() : statement.toText());
      return 0;
    } catch (PolicyException e) {
      err.println(command + ": " + e.getMessage());
      return 2;
    } catch (IllegalStateException e) {
      err.println(command + ": " + e.getMessage() + "; fix it, or name a policy file: " + command
          + " policy --collector --policy FILE");
      return 2;
    }
  }

  private static int validate(AnalyticsControl control, String[] args, PrintStream out, PrintStream err, String command)
      throws IOException {
    if (args.length > 1) {
      return usage(command, err);
    }
    List<Ga4Destination.ValidationMessage> messages;
    try {
      messages = control.validateGa4();
    } catch (IllegalStateException e) {
      err.println(command + ": " + e.getMessage());
      return 2;
    }
    if (messages.isEmpty()) {
      out.println("GA4's validation server accepted the sample events built from the policy: no messages.");
      return 0;
    }
    out.println("GA4's validation server reported " + messages.size() + (messages.size() == 1 ? " problem:" : " problems:"));
    for (Ga4Destination.ValidationMessage m : messages) {
      out.println("  " + m.fieldPath() + ": " + m.description() + " [" + m.validationCode() + "]");
    }
    return 1;
  }

  private static int usage(String command, PrintStream stream) {
    stream.println("usage: " + command
        + " status | show [N] | export FILE | clear | level off|local|anonymous"
        + " | policy [--markdown | --collector] [--policy FILE] | validate");
    return 2;
  }
}
