package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.event.EventJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk {@link Outbox}: round trip, permissions, order, corruption, the size bound, ownership and split. */
class OutboxTest {
  private static final long BIG = 100L * 1024 * 1024;

  @TempDir Path temp;

  private final DeliveryCounters counters = new DeliveryCounters();
  private final List<Outbox> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    for (Outbox o : opened) {
      o.close();
    }
  }

  private Outbox open(Path dir, long maxBytes) throws IOException {
    return open(dir, maxBytes, counters);
  }

  private Outbox open(Path dir, long maxBytes, DeliveryCounters c) throws IOException {
    Outbox o = Outbox.open(dir, maxBytes, c);
    opened.add(o);
    return o;
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static long nanos(String iso) {
    Instant at = Instant.parse(iso);
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }

  private static AnalyticsEvent event(String name) {
    return AnalyticsEvent.create(name, "install-1", nanos("2026-11-23T10:15:30.123Z"), UUID.randomUUID().toString(),
        Map.of("cli.command", name));
  }

  private static List<AnalyticsEvent> events(String prefix, int n) {
    List<AnalyticsEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(event(prefix + i));
    }
    return out;
  }

  /** Events whose JSON line is about {@code bytes} long, so tests can reason about the size bound. */
  private static List<AnalyticsEvent> padded(String prefix, int n, int bytes) {
    List<AnalyticsEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(AnalyticsEvent.create(prefix + i, "install-1", 0L, UUID.randomUUID().toString(), Map.of("pad", "x".repeat(bytes))));
    }
    return out;
  }

  private static List<String> batchFileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("b-")).sorted().collect(Collectors.toList());
    }
  }

  private static List<String> lockFileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("owner-")).sorted().collect(Collectors.toList());
    }
  }

  private static List<String> allFileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  private static long totalBatchBytes(Path dir) throws IOException {
    long total = 0;
    for (String name : batchFileNames(dir)) {
      total += Files.size(dir.resolve(name));
    }
    return total;
  }

  private List<AnalyticsEvent> readAll(Outbox outbox) throws IOException {
    List<AnalyticsEvent> out = new ArrayList<>();
    for (Outbox.Entry e : outbox.pending()) {
      out.addAll(outbox.read(e));
    }
    return out;
  }

  private static List<String> names(List<AnalyticsEvent> events) {
    return events.stream().map(AnalyticsEvent::name).collect(Collectors.toList());
  }

  // ---------------------------------------------------------------- round trip

  @Test
  void addPendingReadAcknowledgeRoundTripPreservesEveryEventExactly() throws IOException {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("cli.command", "inspect");
    props.put("count", 42L);
    props.put("ratio", 0.25);
    props.put("ok", true);
    props.put("tags", List.of("a", "b"));
    props.put("sizes", List.of(1L, 2L));
    props.put("text", "é ✓ \"q\" \\ \n line");
    AnalyticsEvent rich = AnalyticsEvent.create("inspect", "install-1", nanos("2026-11-23T10:15:30.123456789Z"),
        "0b8f2c1e-1111-4222-8333-444455556666", props);
    AnalyticsEvent plain = AnalyticsEvent.create("build", "install-2", nanos("1970-01-01T00:00:00Z"), "u-2", Map.of());
    Outbox outbox = open(temp.resolve("outbox"), BIG);

    Outbox.Entry added = outbox.add(List.of(rich, plain));

    List<Outbox.Entry> pending = outbox.pending();
    assertThat(pending).hasSize(1);
    assertThat(pending.get(0).file).isEqualTo(added.file);
    List<AnalyticsEvent> read = outbox.read(pending.get(0));
    assertThat(read).containsExactly(rich, plain);
    AnalyticsEvent back = read.get(0);
    assertThat(back.name()).isEqualTo("inspect");
    assertThat(back.distinctId()).isEqualTo("install-1");
    assertThat(back.timestampEpochNanos()).isEqualTo(rich.timestampEpochNanos());
    assertThat(back.timestamp()).isEqualTo(Instant.parse("2026-11-23T10:15:30.123456789Z"));
    assertThat(back.uuid()).isEqualTo("0b8f2c1e-1111-4222-8333-444455556666");
    assertThat(back.properties()).containsExactlyEntriesOf(props);
    assertThat(new ArrayList<>(back.properties().keySet())).containsExactlyElementsOf(props.keySet());
    assertThat(read.get(1).properties()).isEmpty();
    assertThat(outbox.size()).isEqualTo(Files.size(added.file)).isEqualTo(outbox.sizeBytes());
    assertThat(outbox.durable()).isTrue();

    outbox.acknowledge(pending.get(0));

    assertThat(outbox.pending()).isEmpty();
    assertThat(Files.exists(added.file)).isFalse();
    assertThat(batchFileNames(outbox.directory())).isEmpty();
    assertThat(outbox.size()).isZero();
    assertThat(counters.droppedCorrupt.sum()).isZero();
    outbox.acknowledge(pending.get(0)); // twice is harmless
  }

  @Test
  void aBatchClaimedJustAfterItWasSealedHasExactlyTheEventsAppended() throws IOException {
    // Taken from memory (the file has the length written), so it must be what a read gives.
    Outbox outbox = open(temp.resolve("outbox"), BIG);
    List<AnalyticsEvent> first = events("a", 3);
    List<AnalyticsEvent> second = events("b", 2);
    outbox.append(first);
    outbox.append(second);
    outbox.seal();
    Outbox.Entry entry = outbox.pending().get(0);
    List<AnalyticsEvent> fromFile = outbox.read(entry);
    List<AnalyticsEvent> claimed = outbox.claim(entry);
    assertThat(claimed).containsExactlyElementsOf(concat(first, second)).containsExactlyElementsOf(fromFile);
  }

  @Test
  void aSealedBatchWhoseFileChangedIsReadFromTheFileNotFromMemory() throws IOException {
    Path dir = temp.resolve("outbox");
    Outbox outbox = open(dir, BIG);
    outbox.append(events("a", 3));
    outbox.seal();
    Outbox.Entry entry = outbox.pending().get(0);
    // Someone cut the file to its first line: the claim gives what the file holds.
    Path file = dir.resolve(batchFileNames(dir).get(0));
    String firstLine = Files.readAllLines(file, StandardCharsets.UTF_8).get(0);
    Files.write(file, (firstLine + "\n").getBytes(StandardCharsets.UTF_8));
    assertThat(names(outbox.claim(entry))).containsExactly("a0");
  }

  @Test
  void aBatchReleasedAfterItsClaimIsReadFromItsFileTheNextTime() throws IOException {
    Outbox outbox = open(temp.resolve("outbox"), BIG);
    List<AnalyticsEvent> written = events("a", 4);
    outbox.append(written);
    outbox.seal();
    Outbox.Entry entry = outbox.pending().get(0);
    assertThat(outbox.claim(entry)).containsExactlyElementsOf(written);
    outbox.release(entry);
    assertThat(outbox.claim(outbox.pending().get(0))).containsExactlyElementsOf(written);
  }

  @Test
  void aBatchFileIsTheJsonLinesOfItsEventsAndNoTemporaryFileIsLeft() throws IOException {
    List<AnalyticsEvent> batch = events("e", 3);
    Outbox outbox = open(temp, BIG);

    Outbox.Entry entry = outbox.add(batch);

    assertThat(Files.readAllBytes(entry.file)).isEqualTo(EventJson.toJsonLines(batch));
    assertThat(entry.toString()).matches("b-\\d{13}-\\d{9}-[0-9a-f]{16}\\.jsonl");
    assertThat(allFileNames(temp)).allMatch(n -> n.startsWith("b-") || n.startsWith("owner-"));
  }

  @Test
  void aNewOutboxOnTheSameDirectoryReadsWhatAnEarlierOneLeftAfterTakingItOver() throws IOException {
    Path dir = temp.resolve("outbox");
    Outbox first = open(dir, BIG);
    List<AnalyticsEvent> batch = events("e", 3);
    first.add(batch);
    first.close();

    Outbox second = open(dir, BIG);
    assertThat(second.pending()).isEmpty();
    assertThat(second.takeOverOrphans()).isEqualTo(1);

    assertThat(readAll(second)).containsExactlyElementsOf(batch);
  }

  // ---------------------------------------------------------------- permissions

  @Test
  void filesAre0600AndTheCreatedDirectory0700() throws IOException {
    assumeTrue(posix(temp));
    Path dir = temp.resolve("state").resolve("outbox");
    Outbox outbox = open(dir, BIG);
    outbox.add(events("e", 2));

    assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.getPosixFilePermissions(temp.resolve("state"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    List<String> names = allFileNames(dir);
    assertThat(names).anyMatch(n -> n.startsWith("b-")).anyMatch(n -> n.startsWith("owner-"));
    for (String name : names) {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir.resolve(name));
      assertThat(permissions).as(name).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
  }

  @Test
  void filesAre0600AlsoAfterASplitAndATakeOver() throws IOException {
    assumeTrue(posix(temp));
    Outbox a = open(temp, BIG);
    a.add(events("a", 2));
    a.close();
    Outbox b = open(temp, BIG);
    b.takeOverOrphans();
    b.split(b.pending().get(0), List.of(List.of(event("x")), List.of(event("y"))));

    for (String name : allFileNames(temp)) {
      assertThat(Files.getPosixFilePermissions(temp.resolve(name))).as(name).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
  }

  // ---------------------------------------------------------------- order

  @Test
  void pendingIsOldestFirst() throws IOException {
    Outbox outbox = open(temp, BIG);
    for (int i = 0; i < 30; i++) {
      outbox.add(List.of(event("e" + i)));
    }

    List<String> order = new ArrayList<>();
    for (Outbox.Entry e : outbox.pending()) {
      order.add(outbox.read(e).get(0).name());
    }

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      expected.add("e" + i);
    }
    assertThat(order).containsExactlyElementsOf(expected);
  }

  // ---------------------------------------------------------------- corruption

  @Test
  void aCorruptLineAndATruncatedLastLineAreSkippedAndCounted() throws IOException {
    List<AnalyticsEvent> batch = events("e", 3);
    Outbox outbox = open(temp, BIG);
    Outbox.Entry entry = outbox.add(batch);
    byte[] good = EventJson.toJsonLines(batch);
    String lines = new String(good, StandardCharsets.UTF_8);
    String[] parts = lines.split("\n");
    String fourth = new String(EventJson.toJsonLines(List.of(event("e3"))), StandardCharsets.UTF_8).trim();
    String content = parts[0] + "\n"
        + "{\"event\":\"broken\",\"distinct_id\":\n"       // corrupt
        + parts[1] + "\n"
        + "\n"                                           // blank: ignored, not counted
        + "not json at all\n"                            // corrupt
        + "{\"event\":\"x\"}\n"                          // valid JSON, but not an event
        + parts[2] + "\n"
        + fourth.substring(0, fourth.length() / 2);      // truncated last line
    Files.write(entry.file, content.getBytes(StandardCharsets.UTF_8), StandardOpenOption.TRUNCATE_EXISTING);

    List<AnalyticsEvent> read = outbox.read(entry);

    assertThat(read).containsExactlyElementsOf(batch);
    assertThat(counters.droppedCorrupt.sum()).isEqualTo(4);
  }

  @Test
  void aLineOfInvalidUtf8IsSkippedAndCountedLikeAnyCorruptLine() throws IOException {
    List<AnalyticsEvent> batch = events("e", 2);
    Outbox outbox = open(temp, BIG);
    Outbox.Entry entry = outbox.add(batch);
    String[] lines = new String(EventJson.toJsonLines(batch), StandardCharsets.UTF_8).split("\n");
    java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
    content.write((lines[0] + "\n").getBytes(StandardCharsets.UTF_8));
    content.write(new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}', '\n'});
    content.write((lines[1] + "\n").getBytes(StandardCharsets.UTF_8));
    Files.write(entry.file, content.toByteArray());

    List<AnalyticsEvent> read = outbox.read(entry);

    assertThat(read).containsExactlyElementsOf(batch);
    assertThat(counters.droppedCorrupt.sum()).isEqualTo(1);
  }

  @Test
  void readOfABatchWhoseFileWasDeletedMeanwhileIsEmpty() throws IOException {
    Outbox outbox = open(temp, BIG);
    Outbox.Entry entry = outbox.add(events("e", 2));
    Files.delete(entry.file);

    assertThat(outbox.read(entry)).isEmpty();
    assertThat(outbox.pending()).isEmpty();
    assertThat(counters.droppedCorrupt.sum()).isZero();
  }

  // ---------------------------------------------------------------- size bound

  @Test
  void whenFullTheOldestFilesAreDroppedAndTheirEventsCounted() throws IOException {
    // Each batch: 2 events of ~1 KB. Measure one batch's size, then allow room for three.
    Path probeDir = temp.resolve("probe");
    Outbox probe = open(probeDir, BIG, new DeliveryCounters());
    long batchBytes = Files.size(probe.add(padded("p", 2, 1000)).file);
    Path dir = temp.resolve("outbox");
    long max = 3 * batchBytes + batchBytes / 2;
    Outbox outbox = open(dir, max);

    List<List<AnalyticsEvent>> added = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      List<AnalyticsEvent> batch = padded("b" + i + "-", 2, 1000);
      added.add(batch);
      outbox.add(batch);
      assertThat(totalBatchBytes(dir)).as("after batch %d", i).isLessThanOrEqualTo(max);
    }

    assertThat(outbox.pending()).hasSize(3);
    List<AnalyticsEvent> expected = new ArrayList<>();
    for (int i = 4; i < 7; i++) {
      expected.addAll(added.get(i));
    }
    assertThat(readAll(outbox)).containsExactlyElementsOf(expected);
    assertThat(counters.droppedOutboxFull.sum()).isEqualTo(4 * 2);
    assertThat(outbox.sizeBytes()).isLessThanOrEqualTo(max);
  }

  @Test
  void aSingleBatchLargerThanTheBoundEmptiesTheOutboxAndIsStillWritten() throws IOException {
    // Recorded behaviour: the bound is not enforced against one batch bigger than the whole outbox.
    Outbox outbox = open(temp, 5_000);
    outbox.add(padded("small", 1, 1000));
    outbox.add(padded("small2-", 1, 1000));

    outbox.add(padded("huge", 3, 3000));

    assertThat(counters.droppedOutboxFull.sum()).isEqualTo(2);
    assertThat(outbox.pending()).hasSize(1);
    assertThat(names(readAll(outbox))).containsExactly("huge0", "huge1", "huge2");
    assertThat(outbox.sizeBytes()).isGreaterThan(5_000);
  }

  @Test
  void theBoundCountsAndDropsTheFilesOfOtherOwnersToo() throws IOException {
    // Documented: the size bound is for the whole directory; a process making room deletes the oldest
    // files whoever owns them, and the owner then reads an empty batch.
    Path probeDir = temp.resolve("probe");
    long batchBytes = Files.size(open(probeDir, BIG, new DeliveryCounters()).add(padded("p", 1, 1000)).file);
    Path dir = temp.resolve("outbox");
    DeliveryCounters countersA = new DeliveryCounters();
    Outbox a = open(dir, BIG, countersA);
    Outbox.Entry aEntry = a.add(padded("a", 1, 1000));
    Outbox b = open(dir, 2 * batchBytes + batchBytes / 2);
    b.add(padded("b", 1, 1000));

    b.add(padded("c", 1, 1000));

    assertThat(Files.exists(aEntry.file)).isFalse();
    assertThat(a.read(aEntry)).isEmpty();
    assertThat(counters.droppedOutboxFull.sum()).isEqualTo(1);
    assertThat(b.pending()).hasSize(2);
  }

  // ---------------------------------------------------------------- two owners in one JVM

  @Test
  void twoOutboxesOnOneDirectoryEachSeeOnlyTheirOwnBatchesUntilTheOtherCloses() throws IOException {
    Path dir = temp.resolve("outbox");
    Outbox a = open(dir, BIG);
    Outbox b = open(dir, BIG);
    List<AnalyticsEvent> aEvents1 = events("a-first-", 2);
    List<AnalyticsEvent> aEvents2 = events("a-second-", 1);
    List<AnalyticsEvent> bEvents = events("b-", 2);
    // Different milliseconds: see takingOverABatchWithTheSameTimeAndSequenceAsAnOwnBatchLosesNeither.
    a.add(aEvents1);
    pause();
    b.add(bEvents);
    pause();
    a.add(aEvents2);
    assertThat(lockFileNames(dir)).hasSize(2);

    assertThat(readAll(a)).containsExactlyElementsOf(concat(aEvents1, aEvents2));
    assertThat(readAll(b)).containsExactlyElementsOf(bEvents);

    assertThat(b.takeOverOrphans()).as("A is alive: nothing to take").isZero();
    assertThat(a.takeOverOrphans()).as("B is alive: nothing to take").isZero();
    assertThat(readAll(a)).containsExactlyElementsOf(concat(aEvents1, aEvents2));
    assertThat(readAll(b)).containsExactlyElementsOf(bEvents);
    assertThat(lockFileNames(dir)).hasSize(2);

    String aLock = "owner-" + ownerOf(a) + ".lock";
    assertThat(lockFileNames(dir)).contains(aLock);
    a.close();
    assertThat(lockFileNames(dir)).doesNotContain(aLock);

    assertThat(b.takeOverOrphans()).isEqualTo(2);

    assertThat(b.pending()).hasSize(3);
    assertThat(readAll(b)).as("oldest first, A's batches keep their age")
        .containsExactlyElementsOf(concat(aEvents1, bEvents, aEvents2));
    assertThat(lockFileNames(dir)).containsExactly("owner-" + ownerOf(b) + ".lock");
    assertThat(b.takeOverOrphans()).isZero();
  }

  @Test
  void theBatchesOfACrashedOwnerAreTakenOverAndItsStaleLockFileIsRemoved() throws IOException {
    // A crash leaves an unlocked owner-<id>.lock and its batch files behind.
    Path dir = temp.resolve("outbox");
    Outbox a = open(dir, BIG);
    List<AnalyticsEvent> aEvents = events("a", 2);
    a.add(aEvents);
    String deadOwner = ownerOf(a);
    a.close(); // releases and removes its lock file, leaves its batch files
    assertThat(batchFileNames(dir)).hasSize(1);
    Files.createFile(dir.resolve("owner-" + deadOwner + ".lock")); // stale, unlocked lock file of the "crashed" owner

    Outbox b = open(dir, BIG);
    assertThat(b.takeOverOrphans()).isEqualTo(1);

    assertThat(readAll(b)).containsExactlyElementsOf(aEvents);
    assertThat(Files.exists(dir.resolve("owner-" + deadOwner + ".lock"))).isFalse();
    assertThat(lockFileNames(dir)).containsExactly("owner-" + ownerOf(b) + ".lock");
  }

  @Test
  void aBatchACrashedOwnerWasSendingIsTakenOverAndWaitsAgain() throws IOException {
    Path dir = temp.resolve("outbox");
    Outbox a = open(dir, BIG);
    List<AnalyticsEvent> aEvents = events("a", 2);
    a.add(aEvents);
    assertThat(a.claim(a.pending().get(0))).containsExactlyElementsOf(aEvents);
    assertThat(batchFileNames(dir)).singleElement().asString().endsWith(".sending");
    a.close();   // the process "crashed" in the middle of the attempt

    Outbox b = open(dir, BIG);
    assertThat(b.takeOverOrphans()).isEqualTo(1);
    assertThat(batchFileNames(dir)).singleElement().asString().endsWith(ownerOf(b) + ".jsonl");
    assertThat(readAll(b)).containsExactlyElementsOf(aEvents);
  }

  @Test
  void aReleasedBatchWaitsAgainAndAnAcknowledgedOneIsGone() throws IOException {
    Path dir = temp.resolve("outbox");
    Outbox a = open(dir, BIG);
    a.add(events("a", 2));
    Outbox.Entry entry = a.pending().get(0);
    a.claim(entry);
    assertThat(a.pending()).as("being sent").isEmpty();
    a.release(entry);
    assertThat(a.pending()).containsExactly(entry);
    a.claim(entry);
    a.acknowledge(entry);
    assertThat(batchFileNames(dir)).isEmpty();
  }

  @Test
  void filesNotShapedLikeBatchesAreIgnoredAndABatchNameThatDoesNotParseIsSetAside() throws IOException {
    Path dir = temp.resolve("outbox");
    Outbox outbox = open(dir, BIG);
    Files.writeString(dir.resolve("b-123-456-zz.jsonl"), "not ours\n");
    Files.writeString(dir.resolve("notes.txt"), "hello\n");
    Files.writeString(dir.resolve(".b-123.tmp"), "half written\n");

    assertThat(outbox.takeOverOrphans()).isZero();
    assertThat(outbox.pending()).isEmpty();
    assertThat(outbox.sizeBytes()).isZero();
    assertThat(allFileNames(dir)).contains("unreadable-b-123-456-zz.jsonl", "notes.txt")
        .as("an earlier version's temporary file, and no other owner runs").doesNotContain("b-123-456-zz.jsonl", ".b-123.tmp");
    assertThat(counters.outboxFilesSetAside.sum()).isEqualTo(1);
  }

  @Test
  void takingOverABatchWithTheSameTimeAndSequenceAsAnOwnBatchLosesNeither() throws IOException {
    Path dir = temp.resolve("outbox");
    Outbox a = open(dir, BIG);
    Outbox b = open(dir, BIG);
    List<AnalyticsEvent> aEvents = events("a", 2);
    List<AnalyticsEvent> bEvents = events("b", 3);
    Path aFile = a.add(aEvents).file;
    Path bFile = b.add(bEvents).file;
    // Both processes wrote their first batch (sequence 0) in the same millisecond.
    String aName = aFile.getFileName().toString();
    String sameTimeAsA = aName.substring(0, "b-0000000000000-000000000-".length()) + ownerOf(b) + ".jsonl";
    Files.move(bFile, dir.resolve(sameTimeAsA));
    a.close();

    b.takeOverOrphans();

    assertThat(readAll(b)).containsExactlyInAnyOrderElementsOf(concat(aEvents, bEvents));
  }

  // ---------------------------------------------------------------- split

  @Test
  void splitReplacesABatchByItsParts() throws IOException {
    Outbox outbox = open(temp, BIG);
    List<AnalyticsEvent> original = events("e", 5);
    Outbox.Entry entry = outbox.add(original);

    outbox.split(entry, List.of(new ArrayList<>(original.subList(0, 2)), new ArrayList<>(original.subList(2, 5))));

    assertThat(Files.exists(entry.file)).isFalse();
    List<Outbox.Entry> pending = outbox.pending();
    assertThat(pending).hasSize(2);
    assertThat(outbox.read(pending.get(0))).containsExactlyElementsOf(original.subList(0, 2));
    assertThat(outbox.read(pending.get(1))).containsExactlyElementsOf(original.subList(2, 5));
    assertThat(counters.droppedOutboxFull.sum()).isZero();
  }

  @Test
  void splitPutsThePartsAfterNewerBatches() throws IOException {
    // Recorded behaviour (MemoryBatchStore differs): the parts are new files, so they queue behind newer batches.
    Outbox outbox = open(temp, BIG);
    Outbox.Entry old = outbox.add(events("old", 2));
    outbox.add(events("newer", 1));

    outbox.split(old, List.of(List.of(event("old0")), List.of(event("old1"))));

    assertThat(names(readAll(outbox))).containsExactly("newer0", "old0", "old1");
  }

  @Test
  void splitInANearlyFullOutboxDropsNothing() throws IOException {
    Path probeDir = temp.resolve("probe");
    long oneEvent = Files.size(open(probeDir, BIG, new DeliveryCounters()).add(padded("p", 1, 1000)).file);
    Path dir = temp.resolve("outbox");
    Outbox outbox = open(dir, 5 * oneEvent + oneEvent / 2);
    List<AnalyticsEvent> older = padded("older", 1, 1000);
    outbox.add(older);
    List<AnalyticsEvent> big = padded("big", 4, 1000);
    Outbox.Entry bigEntry = outbox.add(big);
    assertThat(counters.droppedOutboxFull.sum()).isZero();

    outbox.split(bigEntry, List.of(new ArrayList<>(big.subList(0, 2)), new ArrayList<>(big.subList(2, 4))));

    assertThat(names(readAll(outbox))).containsExactlyInAnyOrderElementsOf(names(concat(older, big)));
    assertThat(counters.droppedOutboxFull.sum()).isZero();
  }

  @Test
  void splitOfABatchWhoseFileIsGoneStillStoresTheParts() throws IOException {
    Outbox outbox = open(temp, BIG);
    Outbox.Entry entry = outbox.add(events("e", 2));
    Files.delete(entry.file);

    outbox.split(entry, List.of(List.of(event("x")), List.of(event("y"))));

    assertThat(names(readAll(outbox))).containsExactly("x", "y");
  }

  // ---------------------------------------------------------------- helpers for ownership

  /** The owner id of {@code outbox}, read from the name of a probe batch that is removed again. */
  private static String ownerOf(Outbox outbox) throws IOException {
    Outbox.Entry probe = outbox.add(List.of());
    try {
      String name = probe.toString();
      return name.substring(name.lastIndexOf('-') + 1, name.length() - ".jsonl".length());
    } finally {
      outbox.acknowledge(probe);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @SafeVarargs
  private static List<AnalyticsEvent> concat(List<AnalyticsEvent>... lists) {
    List<AnalyticsEvent> out = new ArrayList<>();
    for (List<AnalyticsEvent> l : lists) {
      out.addAll(l);
    }
    return out;
  }
}
