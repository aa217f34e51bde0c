package dev.otelanalytics.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.otelanalytics.DeliveryStats;
import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.destination.PostHogDestination;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.event.EventJson;
import dev.otelanalytics.testing.PhasedDispatcher;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox a run finds holds what crashes and people leave behind: batches with corrupt,
 * invalid and cut-off lines, the open and in-flight files of a crashed process, an empty file,
 * and things that are not batches at all (a directory, a FIFO, links, notes). The good events are
 * delivered, each bad line is counted once, what cannot be read is set aside, nothing blocks.
 */
class OutboxFilesFaultsTest {
  private static final String DEAD = "00000000deadbeef";

  @TempDir Path stateDir;

  private static List<AnalyticsEvent> events(String name, int n) {
    List<AnalyticsEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(AnalyticsEvent.create(name, "install-1", System.currentTimeMillis() * 1_000_000L, UUID.randomUUID().toString(),
          Map.of("i", (long) i)));
    }
    return out;
  }

  private static Path batch(Path outbox, int age, String suffix) {
    return outbox.resolve(String.format("b-%013d-%09d-%s%s", 1_700_000_000_000L + age, age, DEAD, suffix));
  }

  private static boolean mkfifo(Path path) {
    try {
      Process p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void corruptTruncatedAndForeignFilesNeitherBlockNorLoseTheGoodEvents() throws Exception {
    Path outbox = Files.createDirectories(stateDir.resolve("outbox"));
    // A batch with a corrupt line, a line of invalid UTF-8, and a last line cut off: 5 good, 3 bad.
    ByteArrayOutputStream mixed = new ByteArrayOutputStream();
    byte[] good = EventJson.toJsonLines(events("from-a-mixed-file", 5));
    mixed.write(good, 0, good.length);
    mixed.write("{\"event\": not json at all\n".getBytes(StandardCharsets.UTF_8));
    mixed.write(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
    byte[] cut = EventJson.toJsonLines(events("cut-off", 1));
    mixed.write(cut, 0, cut.length / 2);
    Files.write(batch(outbox, 1, ".jsonl"), mixed.toByteArray());
    // The open batch of a process that crashed in the middle of an append: 3 good, 1 cut off.
    ByteArrayOutputStream open = new ByteArrayOutputStream();
    byte[] three = EventJson.toJsonLines(events("from-an-open-file", 3));
    open.write(three, 0, three.length);
    open.write(cut, 0, cut.length - 3);
    Files.write(batch(outbox, 2, ".open"), open.toByteArray());
    // A batch it was sending when it crashed: 4 good.
    Files.write(batch(outbox, 3, ".sending"), EventJson.toJsonLines(events("from-a-sending-file", 4)));
    Files.write(batch(outbox, 4, ".jsonl"), new byte[0]);
    // Not batches at all.
    Files.createDirectory(batch(outbox, 5, ".jsonl"));
    Files.createSymbolicLink(batch(outbox, 6, ".jsonl"), Paths.get("/dev/zero"));
    Files.createSymbolicLink(batch(outbox, 7, ".jsonl"), outbox.resolve("nowhere"));
    boolean fifo = mkfifo(batch(outbox, 8, ".jsonl"));
    Files.writeString(outbox.resolve("notes.txt"), "someone's notes\n");
    Files.writeString(outbox.resolve("b-123-456-zz.jsonl"), "not shaped like a batch\n");
    long seeded = 5 + 3 + 3 + 1 + 4;

    try (MockWebServer server = new MockWebServer()) {
      PhasedDispatcher dispatcher = new PhasedDispatcher(() -> PhasedDispatcher.status(200));
      server.setDispatcher(dispatcher);
      server.start();
      OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("files").setStateDirectory(stateDir)
          .setDestination(PostHogDestination.builder().setEndpoint(server.url("/").toString()).setApiKey("phc_filesFaultsKey42")
              .build())
          .setShutdownTimeout(Duration.ofSeconds(5)).build();
      Tracer tracer = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build().get("files");
      assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
        for (int i = 0; i < 10; i++) {
          tracer.spanBuilder("new-" + i).startSpan().end();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (dispatcher.accounting().delivered().size() < 22 && System.nanoTime() < deadline) {
          analytics.forceFlush().join(5, TimeUnit.SECONDS);
          Thread.sleep(20);
        }
        analytics.shutdown().join(10, TimeUnit.SECONDS);
      });

      DeliveryStats stats = analytics.stats();
      int notBatches = (fifo ? 4 : 3) + 1;   // the last: b-123-456-zz.jsonl, whose name is no batch's
      assertThat(stats.droppedCorrupt()).as("each bad line once").isEqualTo(4);
      assertThat(stats.outboxFilesSetAside()).isEqualTo(notBatches);
      assertThat(stats.outboxFilesEmpty()).as("the empty batch file, counted as a file").isEqualTo(1);
      try (Stream<Path> files = Files.list(outbox)) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .contains("notes.txt", "unreadable-b-123-456-zz.jsonl")
            .filteredOn(n -> n.startsWith("unreadable-")).hasSize(notBatches);
      }
      FaultAccounting.check("corrupt, cut-off, crashed and foreign outbox files", stats.accepted() + seeded,
          dispatcher.accounting(), stats, "set_aside_files=" + stats.outboxFilesSetAside() + (fifo ? " (with a FIFO)" : "") + " empty_files=" + stats.outboxFilesEmpty());
    }
  }
}
