package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.event.AnalyticsEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.function.Function;

/**
 * One copy of the library, for tests that load the outbox through a class loader of their own (as
 * the agent extension's copy and the app's copy are): driven through a JDK interface only, so the
 * test needs no reflection beyond making it. Commands: {@code open <dir>}, {@code add},
 * {@code takeover}, {@code close}.
 */
public final class OutboxCopy implements Function<String, String> {
  private Outbox outbox;

  @Override
  public String apply(String command) {
    try {
      String[] words = command.split(" ", 2);
      switch (words[0]) {
        case "open":
          outbox = Outbox.open(Paths.get(words[1]), 1 << 20, new DeliveryCounters());
          return "opened";
        case "add":
          Path file = outbox.add(Collections.singletonList(
              AnalyticsEvent.create("copy", "install-1", 1L, java.util.UUID.randomUUID().toString(), Collections.emptyMap()))).file;
          return file.getFileName().toString();
        case "takeover":
          return Integer.toString(outbox.takeOverOrphans());
        case "close":
          outbox.close();
          return "closed";
        default:
          throw new IllegalArgumentException(command);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Another process on the outbox {@code args[0]}: takes over what it can and prints how many
   * batch files it took; or, with {@code hold}, opens the outbox, prints {@code OPEN} and waits to
   * be killed.
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    try (Outbox other = Outbox.open(Paths.get(args[0]), 1 << 20, new DeliveryCounters())) {
      if (args.length > 1 && args[1].equals("hold")) {
        System.out.println("OPEN");
        System.out.flush();
        Thread.sleep(120_000);
        return;
      }
      System.out.print("TOOK " + other.takeOverOrphans());
    }
  }
}
