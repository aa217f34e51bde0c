package dev.otelanalytics.snippets.telemetry;

// snippet:telemetry-command
import dev.otelanalytics.AnalyticsControl;
import dev.otelanalytics.cli.AnalyticsCli;
import java.util.Arrays;

public final class MyCli {
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("telemetry")) {   // before the SDK starts: never recorded itself
      AnalyticsControl control = AnalyticsControl.fromEnvironment("my-cli");
      String[] verb = Arrays.copyOfRange(args, 1, args.length);
      System.exit(AnalyticsCli.run(control, "my-cli telemetry", verb, System.out, System.err));
    }
    // ... start the SDK and run the command as usual ...
  }
}
// end-snippet
