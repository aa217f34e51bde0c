package dev.otelanalytics.internal.delivery;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes the temporary files that owners which have ended left in the outbox: a batch being
 * written ({@code .b-<owner>-<n>.tmp}; its events are in another batch, for the parts of a split,
 * or were lost with the process) and a batch being dropped to make room ({@code .d-<owner>-<n>.tmp},
 * whose events are counted as dropped now, since the process that dropped them died before it
 * counted them). Their lock files are removed by {@link OwnerLock#isAlive}, so neither kind piles
 * up after kills, whether or not the owner left batches.
 *
 * <p>Earlier versions named their temporary files {@code .b-<n>.tmp} (no owner) and, for a batch
 * rewritten without its corrupt lines, {@code .<batch name><n>.tmp}: the first are removed only
 * when no other owner is running, the second when theirs is not.
 */
final class OutboxLeftovers {
  private static final Pattern OWNED = Pattern.compile("\\.([bd])-([0-9a-f]{16})-\\d+\\.tmp");
  private static final Pattern REWRITTEN = Pattern.compile("\\.b-.*-([0-9a-f]{16})\\.sending\\d+\\.tmp");
  private static final Pattern NO_OWNER = Pattern.compile("\\.b-\\d+\\.tmp");

  private OutboxLeftovers() {}

  /** The name of the temporary file in which {@code owner} writes a batch (a unique number is added). */
  static String writePrefix(String owner) {
    return ".b-" + owner + "-";
  }

  /** The name of the temporary file under which {@code owner} drops a batch. */
  static String dropName(String owner, long sequence) {
    return ".d-" + owner + "-" + sequence + ".tmp";
  }

  /**
   * Removes the temporary files in {@code directory} of owners for which {@code ended} is true;
   * the ones that name no owner when {@code othersRunning} is false. A dropped batch is handed to
   * {@code dropped}, which counts its events and deletes it.
   */
  static void remove(Path directory, Predicate<String> ended, boolean othersRunning, Consumer<Path> dropped) throws IOException {
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, ".*.tmp")) {
      for (Path file : stream) {
        String name = file.getFileName().toString();
        Matcher owned = OWNED.matcher(name);
        if (owned.matches()) {
          if (ended.test(owned.group(2))) {
            if (owned.group(1).equals("d")) {
              dropped.accept(file);
            } else {
              Files.deleteIfExists(file);
            }
          }
          continue;
        }
        Matcher rewritten = REWRITTEN.matcher(name);
        if (rewritten.matches() ? ended.test(rewritten.group(1)) : !othersRunning && NO_OWNER.matcher(name).matches()) {
          Files.deleteIfExists(file);
        }
      }
    } catch (NoSuchFileException e) {
      // No outbox: nothing left over.
    }
  }
}
