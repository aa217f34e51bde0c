package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two copies of the library in one JVM (the agent extension's and the app's own, each in its own
 * class loader) on one state directory. Operating-system file locks belong to the process, and on
 * POSIX closing any descriptor of a file drops them all: a copy that looked at the other's lock
 * file by opening and closing it handed the other's live batches to the next process that looked
 * (issue 17, fault 6). Here the next process must find both copies alive, and take their batches
 * only once they have closed.
 */
class OutboxTwoCopiesInOneJvmTest {
  @TempDir Path dir;

  @Test
  void anotherProcessTakesNoLiveBatchOfEitherCopyAfterTheyLookedAtEachOther() throws Exception {
    try (URLClassLoader loaderA = copyOfTheLibrary(); URLClassLoader loaderB = copyOfTheLibrary()) {
      Function<String, String> a = newCopy(loaderA);
      Function<String, String> b = newCopy(loaderB);
      assertThat(loaderA.loadClass(Outbox.class.getName())).as("two copies of the class")
          .isNotSameAs(loaderB.loadClass(Outbox.class.getName())).isNotSameAs(Outbox.class);
      a.apply("open " + dir);
      b.apply("open " + dir);
      a.apply("add");
      b.apply("add");

      // Each copy looks for batches of owners that have ended: it must find the other alive...
      assertThat(a.apply("takeover")).isEqualTo("0");
      assertThat(b.apply("takeover")).isEqualTo("0");
      // ...and looking must leave the other's lock held, as seen from another process.
      assertThat(takenOverByAnotherProcess()).as("batches another process took while both copies run").isEqualTo(0);
      assertThat(Outbox.batchFiles(dir)).hasSize(2);

      a.apply("close");
      b.apply("close");
      assertThat(takenOverByAnotherProcess()).as("once both closed, their batches are another run's to take").isEqualTo(2);
    }
  }

  /** A class loader over this test's class path whose parent knows only the JDK: a second copy of every class. */
  private static URLClassLoader copyOfTheLibrary() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      urls.add(Paths.get(entry).toUri().toURL());
    }
    return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
  }

  @SuppressWarnings("unchecked")
  private static Function<String, String> newCopy(ClassLoader loader) throws Exception {
    return (Function<String, String>) loader.loadClass(OutboxCopy.class.getName()).getConstructor().newInstance();
  }

  /** Runs {@link OutboxCopy#main} in a new JVM on the directory; returns how many batch files it took over. */
  private int takenOverByAnotherProcess() throws Exception {
    Process p = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), OutboxCopy.class.getName(), dir.toString())
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(output).as(output).contains("TOOK ");
    return Integer.parseInt(output.substring(output.indexOf("TOOK ") + 5).trim());
  }
}
