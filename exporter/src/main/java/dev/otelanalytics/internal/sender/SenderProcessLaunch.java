package dev.otelanalytics.internal.sender;

import dev.otelanalytics.internal.FileTrust;
import dev.otelanalytics.internal.LogText;
import dev.otelanalytics.internal.SecureFiles;
import dev.otelanalytics.internal.ThrottledLogger;
import dev.otelanalytics.internal.state.StateDirectory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.logging.Level;

/**
 * Starts the {@link SenderProcess} of a state directory, when a short-lived process exits with
 * batches in its outbox ({@code OTEL_ANALYTICS_SENDER=process}). The new process is another JVM
 * on this process's own class path; its settings (the destination's, API key included) go
 * through its standard input, never its command line or environment, where other users could
 * read them. Nothing is started while another sender process of the same state directory runs:
 * that one takes the new batches over, or the next run's sender does.
 */
public final class SenderProcessLaunch {
  private static final ThrottledLogger logger = ThrottledLogger.get(SenderProcessLaunch.class);
  /** Variables that would load a Java agent (or other options) into the sender process too. */
  private static final List<String> JVM_OPTION_VARIABLES = Arrays.asList("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");
  /** A small, quick JVM: the sender reads a few files and makes a few HTTP requests. */
  private static final List<String> JVM_OPTIONS = Arrays.asList(
      "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-Xss512k", "-Djava.awt.headless=true");

  /**
   * Run by {@code /bin/sh}: reads the settings, then starts the sender in the background (at a
   * lower priority where {@code nice} exists, so that it yields the processor to the user's next
   * command; in its own session where {@code setsid} exists, so that closing the terminal does not
   * stop it) and ends. This process's child is then the shell, which ends at once: a JVM waits up to 300 ms at
   * exit for a thread still waiting on a running child, and the sender may run for seconds.
   * {@code printf} is the shell's own, so the settings appear on no command line.
   */
  static final String DETACH = "settings=$(cat);"
      + " if command -v nice >/dev/null 2>&1; then set -- nice -n 10 \"$@\"; fi;"
      + " if command -v setsid >/dev/null 2>&1; then set -- setsid \"$@\"; fi;"
      + " printf '%s\\n' \"$settings\" | \"$@\" &";

  private final List<String> command;
  private final Path lockFile;
  private final Path logFile;
  private final Path stoppedFile;
  private final byte[] settings;

  private SenderProcessLaunch(List<String> command, Path lockFile, Path logFile, Path stoppedFile, byte[] settings) {
    this.command = command;
    this.lockFile = lockFile;
    this.logFile = logFile;
    this.stoppedFile = stoppedFile;
    this.settings = settings;
  }

  /**
   * The launch for {@code state}, or null when a sender process cannot be started from here
   * (logged: the caller sends from a thread instead).
   *
   * @param destinationSettings the destination's settings by property name, as the sender process reads them
   */
  public static SenderProcessLaunch prepare(Map<String, String> destinationSettings, StateDirectory state, long outboxMaxBytes,
      Duration initialBackoff, Duration maxBackoff) {
    // Another class loader (the Java agent's, an application server's): the class path does not
    // hold this library, so a new JVM could not run it.
    if (SenderProcessLaunch.class.getClassLoader() != ClassLoader.getSystemClassLoader()) {
      logger.log(Level.FINE, "otel-analytics: OTEL_ANALYTICS_SENDER=process needs otel-analytics on the application class"
          + " path; sending from a thread instead");
      return null;
    }
    String classPath = System.getProperty("java.class.path");
    Path java = javaExecutable();
    if (classPath == null || classPath.isEmpty() || java == null) {
      logger.log(Level.FINE, "otel-analytics: no java executable or class path to start a sender process with; sending"
          + " from a thread instead");
      return null;
    }
    Map<String, String> settings = new LinkedHashMap<>(destinationSettings);
    settings.put(SenderProcess.STATE_DIR, state.root().toAbsolutePath().toString());
    settings.put(SenderProcess.OUTBOX_MAX_BYTES, Long.toString(outboxMaxBytes));
    settings.put(SenderProcess.INITIAL_BACKOFF_MILLIS, Long.toString(initialBackoff.toMillis()));
    settings.put(SenderProcess.MAX_BACKOFF_MILLIS, Long.toString(maxBackoff.toMillis()));
    List<String> command = new ArrayList<>();
    Path shell = Paths.get("/bin/sh");
    if (Files.isExecutable(shell)) {
      command.add(shell.toString());
      command.add("-c");
      command.add(DETACH);
      command.add("otel-analytics-sender");
    }
    command.add(java.toString());
    command.addAll(JVM_OPTIONS);
    command.add("-cp");
    command.add(classPath);
    command.add(SenderProcess.class.getName());
    return new SenderProcessLaunch(command, state.senderLockFile(), state.senderLogFile(), state.senderStoppedFile(),
        propertiesText(settings).getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * Starts the sender process unless one runs already; never throws, never waits for it. What
   * it cannot start stays in the outbox for the next run.
   */
  public void start() {
    if (SenderProcessLock.isHeld(lockFile)) {
      logger.log(Level.FINE, "otel-analytics: a sender process is running already; it or the next one sends this run's events");
      return;
    }
    try {
      ProcessBuilder builder = new ProcessBuilder(command);
      for (String variable : JVM_OPTION_VARIABLES) {
        builder.environment().remove(variable);
      }
      builder.redirectInput(ProcessBuilder.Redirect.PIPE);
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
      Process process = builder.start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(settings);
      }
    } catch (IOException | RuntimeException e) {
      logger.log(Level.WARNING, "otel-analytics: could not start the sender process (" + e.getClass().getSimpleName()
          + "); this run's events wait in " + LogText.path(lockFile.getParent()) + " for the next run");
    }
  }

  /**
   * Why the last sender process of this state directory stopped sending, as it recorded it
   * ({@code "posthog\n<reason>"}), or null when it did not stop.
   */
  public String lastStop() {
    try {
      String text = new String(SecureFiles.readOwnFile(stoppedFile, FileTrust.Kind.FILE, 4096), StandardCharsets.UTF_8);
      int newline = text.indexOf('\n');
      return newline < 0 ? null : "stopped sending to " + text.substring(0, newline) + ": " + text.substring(newline + 1).trim();
    } catch (IOException | RuntimeException e) {
      return null;   // none (the usual case), or not one to trust
    }
  }

  /** The command line, for tests and the debug log: holds no setting. */
  List<String> command() {
    return command;
  }

  /**
   * The settings as {@link java.util.Properties#load(java.io.InputStream)} reads them: not
   * {@code Properties.store}, whose date comment loads the time-zone and calendar classes (about
   * 15 ms of the command's exit).
   */
  static String propertiesText(Map<String, String> settings) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      escape(e.getKey(), true, out);
      out.append('=');
      escape(e.getValue(), false, out);
      out.append('\n');
    }
    return out.toString();
  }

  private static void escape(String text, boolean key, StringBuilder out) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\f':
          out.append("\\f");
          break;
        case '=':
        case ':':
        case '#':
        case '!':
          out.append('\\').append(c);
          break;
        case ' ':
          if (key || i == 0) {
            out.append('\\');
          }
          out.append(c);
          break;
        default:
          if (c < 0x20 || c > 0x7e) {
            out.append("\\u");
            String hex = Integer.toHexString(c);
            for (int pad = hex.length(); pad < 4; pad++) {
              out.append('0');
            }
            out.append(hex);
          } else {
            out.append(c);
          }
      }
    }
  }

  private static Path javaExecutable() {
    String home = System.getProperty("java.home");
    if (home == null) {
      return null;
    }
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    Path java = Paths.get(home, "bin", windows ? "java.exe" : "java");
    return Files.isExecutable(java) ? java : null;
  }
}
