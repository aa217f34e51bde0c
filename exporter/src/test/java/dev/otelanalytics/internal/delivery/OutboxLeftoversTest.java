package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.event.EventJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a killed owner leaves in the outbox besides batches, its {@code owner-<id>.lock} and the
 * temporary files of a write or a drop it was in the middle of, is removed by the next start even
 * when it left no batch (issue 17, fault 5); what a running owner has there is kept.
 */
class OutboxLeftoversTest {
  @TempDir Path dir;

  private final List<Outbox> opened = new ArrayList<>();

  @org.junit.jupiter.api.AfterEach
  void closeAll() {
    opened.forEach(Outbox::close);
  }

  private Outbox open(DeliveryCounters counters) throws IOException {
    Outbox outbox = Outbox.open(dir, 1 << 20, counters);
    opened.add(outbox);
    return outbox;
  }

  @Test
  void aKilledOwnersLockAndTemporaryFilesGoWithTheNextStartAndARunningOwnersStay() throws Exception {
    Files.createDirectories(dir);
    String killed = ownerKilledInAnotherProcess();
    Outbox running = open(new DeliveryCounters());
    String live = onlyOwnerBut(killed);
    // A killed owner in the middle of writing a batch and of dropping one (3 events) to make room.
    Files.write(dir.resolve(".b-" + killed + "-4711.tmp"), lines(2));
    Files.write(dir.resolve(".d-" + killed + "-3.tmp"), lines(3));
    // The running owner in the middle of the same.
    Files.write(dir.resolve(".b-" + live + "-4712.tmp"), lines(1));
    Files.write(dir.resolve(".d-" + live + "-9.tmp"), lines(1));
    // A temporary file of an earlier version, which named no owner, and a file that is not the outbox's.
    Files.write(dir.resolve(".b-8812345.tmp"), lines(1));
    Files.writeString(dir.resolve("notes.txt"), "someone's notes\n");
    assertThat(Outbox.batchFiles(dir)).as("the killed owner left no batch").isEmpty();

    DeliveryCounters counters = new DeliveryCounters();
    Outbox next = open(counters);
    assertThat(next.takeOverOrphans()).isZero();

    assertThat(names()).as("the killed owner's files are gone, the running owner's and other files stay")
        .doesNotContain("owner-" + killed + ".lock", ".b-" + killed + "-4711.tmp", ".d-" + killed + "-3.tmp")
        .contains("owner-" + live + ".lock", ".b-" + live + "-4712.tmp", ".d-" + live + "-9.tmp", "notes.txt")
        .as("an earlier version's temporary file stays while another owner runs").contains(".b-8812345.tmp");
    assertThat(counters.droppedOutboxFull.sum()).as("the events the killed owner was dropping, counted once").isEqualTo(3);

    running.close();
    next.close();
    open(new DeliveryCounters()).takeOverOrphans();
    assertThat(names()).as("no other owner runs: an earlier version's temporary file is a leftover too")
        .doesNotContain(".b-8812345.tmp", "owner-" + live + ".lock");
  }

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  private String onlyOwnerBut(String other) throws IOException {
    List<String> owners = names().stream().filter(n -> n.startsWith("owner-") && !n.contains(other))
        .map(n -> n.substring("owner-".length(), n.length() - ".lock".length())).collect(Collectors.toList());
    assertThat(owners).hasSize(1);
    return owners.get(0);
  }

  private static byte[] lines(int n) {
    List<AnalyticsEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(AnalyticsEvent.create("left", "install-1", 1L, UUID.randomUUID().toString(), Map.of()));
    }
    return EventJson.toJsonLines(events);
  }

  /** Opens an outbox in another JVM, kills that JVM with SIGKILL, returns the owner id it left. */
  private String ownerKilledInAnotherProcess() throws Exception {
    Process p = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), OutboxCopy.class.getName(), dir.toString(), "hold")
        .redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.equals("OPEN")) {
        // start-up noise
      }
      assertThat(line).isEqualTo("OPEN");
    } finally {
      p.destroyForcibly();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    List<String> owners = names().stream().filter(n -> n.startsWith("owner-")).collect(Collectors.toList());
    assertThat(owners).hasSize(1);
    return owners.get(0).substring("owner-".length(), owners.get(0).length() - ".lock".length());
  }
}
