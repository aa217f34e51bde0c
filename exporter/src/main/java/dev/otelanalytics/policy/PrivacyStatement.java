package dev.otelanalytics.policy;

import dev.otelanalytics.internal.guard.NeverKeptKeys;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link PrivacyPolicy} as a privacy statement for people: what is collected and why,
 * what is hashed and how, what is never collected, where it goes, how long it is kept, which
 * identifiers exist, and how to opt out. The same policy object is what the code enforces, so
 * the statement cannot promise something else. A host app prints it with the {@code policy}
 * command to get its own PRIVACY.md.
 */
public final class PrivacyStatement {
  private final PrivacyPolicy policy;
  private final String programName;
  private final String destination;
  private final long retentionDays;
  private final String optOutVariable;
  private final String levelCommand;

  private PrivacyStatement(PrivacyPolicy policy, String programName, String destination, long retentionDays,
      String optOutVariable, String levelCommand) {
    this.policy = policy;
    this.programName = programName;
    this.destination = destination;
    this.retentionDays = retentionDays;
    this.optOutVariable = optOutVariable;
    this.levelCommand = levelCommand;
  }

  /**
   * A statement describing {@code policy} for the app's users.
   *
   * @param policy the policy to describe
   * @param programName the app's name as its users know it
   * @param destination where events go, in plain words (e.g. "PostHog at https://eu.i.posthog.com")
   * @param retentionDays how many days the local store keeps events
   * @param optOutVariable the app's own opt-out variable, or null
   * @param levelCommand how users change the level (e.g. {@code mycli telemetry level}), or null
   * @return the statement
   */
  public static PrivacyStatement of(PrivacyPolicy policy, String programName, String destination, long retentionDays,
      String optOutVariable, String levelCommand) {
    return new PrivacyStatement(policy, programName, destination, retentionDays, optOutVariable, levelCommand);
  }

  /**
   * The short form the {@code status} command prints: what is collected, what is kept only as a
   * keyed hash, what usage reports hold, and what is never collected.
   *
   * @param policy the policy in force
   * @return lines of plain text, each ending with a newline
   */
  public static String summary(PrivacyPolicy policy) {
    StringBuilder out = new StringBuilder();
    out.append("What is collected:\n");
    for (String line : PlainWords.collected(policy)) {
      out.append("  - ").append(line).append('\n');
    }
    String names = PlainWords.eventNames(policy);
    if (names != null) {
      out.append(names).append('\n');
    }
    String weakSpot = PlainWords.freeTextWarning(policy);
    if (weakSpot != null) {
      out.append(weakSpot).append('\n');
    }
    List<String> hashed = PlainWords.hashed(policy);
    if (!hashed.isEmpty()) {
      out.append("Kept only as a keyed hash (cannot be turned back into the value without this install's secret key):\n");
      for (String line : hashed) {
        out.append("  - ").append(line).append('\n');
      }
    }
    List<String> reported = PlainWords.reported(policy);
    if (!reported.isEmpty()) {
      out.append("Usage reports (totals once every ").append(PlainWords.period(policy.reportInterval()))
          .append(", nothing per use) of:\n");
      for (String line : reported) {
        out.append("  - ").append(line).append('\n');
      }
    }
    out.append("Never collected: ").append(NeverKeptKeys.PLAIN_DESCRIPTION)
        .append(". Any value that looks like one of these is dropped too: ")
        .append(String.join("; ", PlainWords.guarded())).append(".\n");
    return out.toString();
  }

  /**
   * The statement as Markdown.
   *
   * @return the Markdown text, ready to be saved as PRIVACY.md
   */
  public String toMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append("# What ").append(programName).append(" collects about its use\n\n");
    md.append(programName).append(" records anonymous usage analytics through otel-analytics. Every event passes the")
        .append(" policy below before it is stored or sent: anything the policy does not list is dropped, and the")
        .append(" limits under *Never collected* apply whatever the policy says.\n\n");

    md.append("## Collected, and why\n\n");
    md.append("Every event holds ").append(PlainWords.ALWAYS).append(". ");
    String names = PlainWords.eventNames(policy);
    if (names != null) {
      md.append(names).append(" ");
    }
    md.append("Besides that:\n\n");
    typedTable(md, policy.allowedAttributes(), policy.allowedResourceAttributes());
    md.append("A value that does not fit what its row says it may hold is dropped.\n\n");
    String weakSpot = PlainWords.freeTextWarning(policy);
    if (weakSpot != null) {
      md.append("**").append(weakSpot.substring(0, weakSpot.indexOf(':') + 1)).append("**")
          .append(weakSpot.substring(weakSpot.indexOf(':') + 1)).append("\n\n");
    }

    md.append("## Kept only as a keyed hash\n\n");
    if (policy.hashedAttributes().isEmpty()) {
      md.append("Nothing. (A listed identifier would be kept only as a keyed HMAC-SHA256 hash, never as such.)\n\n");
    } else {
      table(md, policy.hashedAttributes());
      md.append("A hashed value is replaced by HMAC-SHA256 of the value under a secret key, cut to 16 bytes. The key is")
        .append(" 32 random bytes made on each installation (or one secret the operator sets for all of its")
        .append(" instances). A plain hash such as SHA-256 would not be enough: anyone can hash a list of likely")
        .append(" values, such as every e-mail address in a public leak, and compare. Without the key that is")
        .append(" impossible, and the same value still gives the same hash, so distinct values can be counted.\n\n");
    }

    if (!policy.allowedMetrics().isEmpty()) {
      md.append("## Usage reports\n\n");
      md.append("Once every ").append(PlainWords.period(policy.reportInterval())).append(", ").append(programName)
          .append(" may also send one usage report: the totals of these measurements over that period.")
          .append(" It never says which use added what.\n\n");
      table(md, policy.allowedMetrics());
      md.append("A report holds those totals, split only by the attributes listed above (their values pass the same")
          .append(" checks), the start and end of the period, a random deployment id, and the resource attributes")
          .append(" above. Anything else a measurement carries is added into the totals and never reported.\n\n");
    }

    md.append("## Never collected\n\n");
    md.append("- ").append(capitalise(NeverKeptKeys.PLAIN_DESCRIPTION)).append(". The attributes `")
        .append(String.join("`, `", NeverKeptKeys.keys())).append("`, and every attribute starting with `")
        .append(String.join("`, `", NeverKeptKeys.headerPrefixes())).append("`, can never be listed, not even to be hashed.\n");
    md.append("- Any value that looks like one of these is dropped, even from a listed attribute:\n");
    for (String line : PlainWords.guarded()) {
      md.append("  - ").append(line).append('\n');
    }
    md.append("  The checks also see through percent-encoding and Unicode look-alikes. A value cut for length is")
        .append(" checked again.\n");
    md.append("- Arguments: an event is named after its command or request (`inspect`, `GET /api/items/{id}`), never")
        .append(" after what was typed. A name keeps only its leading name-like words and stops at the first option,")
        .append(" path, address or number.\n");
    md.append("- Errors: only the class of an error (`FileNotFoundException`), never its message.\n\n");

    md.append("## Where it goes\n\n");
    md.append(destination).append(".");
    // Once: a destination description may say it already.
    if (destination.contains("PostHog") && !destination.contains("person profile")) {
      md.append(" Each event asks PostHog not to build a person profile and not to look up a location.");
    }
    if (!destination.startsWith("Nowhere")) {
      md.append(" Only the scrubbed events above leave the program.");
    }
    md.append("\n\n");

    md.append("## Identifiers\n\n");
    md.append("Events carry a random install id, created on first use and stored on this machine. It is never")
        .append(" derived from the host name, the user name or a network address. Running `clear` replaces it.\n\n");

    md.append("## How long it is kept\n\n");
    md.append("On this machine, the history of events is kept ").append(retentionDays).append(" days. Events")
        .append(" waiting to be sent are kept until they are delivered, in a bounded outbox where the oldest go first.")
        .append(" At the destination, the retention is the destination's own.\n\n");

    md.append("## How to opt out\n\n");
    md.append("- Set `DO_NOT_TRACK=1`");
    if (optOutVariable != null) {
      md.append(", or `").append(optOutVariable).append("=1`");
    }
    md.append(". Nothing is collected, and nothing is written to disk.\n");
    if (levelCommand != null) {
      md.append("- Or run `").append(levelCommand).append(" off`. `").append(levelCommand)
          .append(" local` keeps events on this machine only.\n");
    }
    md.append("- The most private setting always wins. A first-run notice, when the program shows one, means")
        .append(" nothing is sent during that run.\n");
    return md.toString();
  }

  /**
   * The statement as plain text for a terminal.
   *
   * @return the same text as {@link #toMarkdown()} without Markdown marks; table rows become
   *     indented {@code key: why} lines
   */
  public String toText() {
    return toMarkdown().replace("`", "").replaceAll("(?m)^#+ ", "").replace("**", "")
        .replaceAll("(?<![\\w/*])\\*([A-Za-z][^*\\n]*?)\\*(?![\\w*])", "$1")
        .replaceAll("(?m)^\\| (.*?) \\| (.*?) \\| (.*) \\|$", "  $1 ($2): $3")
        .replaceAll("(?m)^\\| (.*) \\| (.*) \\|$", "  $1: $2").replaceAll("(?m)^\\|[-| ]+\\|\\n", "")
        .replaceAll("(?m)^  Data \\(What it may hold\\): Why\\n", "").replaceAll("(?m)^  Data: Why\\n", "")
        .replace("\\|", "|");
  }

  /** The rows of {@code groups} with what each may hold: allowed span and resource attributes. */
  @SafeVarargs
  private static void typedTable(StringBuilder md, Map<String, PolicyEntry>... groups) {
    table(md, true, groups);
  }

  /** The rows of {@code groups}, key and reason: hashed attributes and metrics, which have no type. */
  @SafeVarargs
  private static void table(StringBuilder md, Map<String, PolicyEntry>... groups) {
    table(md, false, groups);
  }

  private static void table(StringBuilder md, boolean typed, Map<String, PolicyEntry>[] groups) {
    int rows = 0;
    for (Map<String, PolicyEntry> group : groups) {
      rows += group.size();
    }
    if (rows == 0) {
      md.append("Nothing else.\n\n");
      return;
    }
    md.append(typed ? "| Data | What it may hold | Why |\n|---|---|---|\n" : "| Data | Why |\n|---|---|\n");
    for (Map<String, PolicyEntry> group : groups) {
      for (PolicyEntry entry : group.values()) {
        md.append("| `").append(entry.key()).append("` | ");
        if (typed) {
          md.append(cell(entry.type().describe())).append(" | ");
        }
        md.append(entry.why().isEmpty() ? "(no reason given)" : cell(entry.why())).append(" |\n");
      }
    }
    md.append('\n');
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }

  private static String capitalise(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  /** The lines of {@link PlainWords#guarded()}, for tests. */
  static List<String> guardLines() {
    return PlainWords.guarded();
  }
}
