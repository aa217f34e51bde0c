package dev.otelanalytics.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.posthog.server.PostHog;
import com.posthog.server.PostHogCaptureOptions;
import com.posthog.server.PostHogConfig;
import com.posthog.server.PostHogInterface;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.otelanalytics.DeliveryStats;
import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.OtelAnalyticsBuilder;
import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.destination.PostHogDestination;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * End-to-end delivery of a burst of events to a PostHog-compatible server on loopback, by one
 * client per JVM: {@code ours} (an OpenTelemetry {@link SdkTracerProvider} with the
 * {@link OtelAnalytics} span processor and a {@link PostHogDestination}) or {@code posthog}
 * (posthog-server 2.3.0's {@code capture}). Not JMH: what is measured is a whole run.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.otelanalytics.benchmarks.ThroughputRun ours|posthog
 *     [--events 200000] [--warmup 0] [--producers 4] [--stall-seconds 0] [--queue N] [--outbox-mib M]
 *     [--quiet-seconds 3] [--max-wait-seconds 180] [--sink-threads 4]
 *     [--ph-flush-at 20] [--ph-batch 50] [--ph-queue 1000] [--ph-interval 30] [--ph-flush idle|always]
 *     [--csv-header] [--trace]
 * </pre>
 *
 * <p>The server ({@link Sink}, in this JVM) takes {@code POST /batch} (gzip or not), counts the
 * events of each body with a streaming parse of its {@code batch} array, keeps their {@code uuid}s
 * (a resent event is counted once, as PostHog merges it) and answers 200 {@code {"status":1}}.
 * With {@code --stall-seconds S}, every request that arrives in the first S seconds of the run is
 * held until then and only then read, counted and answered 200 (a client that gave up meanwhile
 * sends it again; the uuids keep it from counting twice).
 *
 * <p>{@code --producers} threads produce {@code --events} events as fast as they can: ours, a root
 * span each with ten attributes (two of them hashed, the others typed in the policy, see
 * {@link RealisticAttributes}); posthog, one {@code capture} each with the same ten raw values and
 * the same built-in properties. Our analytics runs with its defaults (queue 16,384 spans, 64 MiB
 * outbox on disk in a temporary state directory, local history copy on, shutdown timeout 1 s)
 * unless {@code --queue}/{@code --outbox-mib} say otherwise; posthog with its client's defaults
 * (flushAt 20, maxBatchSize 50, maxQueueSize 1000, 30 s interval) unless the {@code --ph-*} options
 * say otherwise. After the producers are done, ours is asked to flush ({@code forceFlush}, once a
 * second) and posthog's {@code flush()} is called in a loop (it sends one batch per call; by
 * default only while the server has seen nothing new for 300 ms, see
 * {@link PostHogClient#flushWhenIdleNanos}), until the server has every event, or has counted no
 * new one for {@code --quiet-seconds} (after the stall), or {@code --max-wait-seconds} passed.
 * {@code --trace} prints the server's count every second.
 *
 * <p>Measured: wall time from the first event produced to the last one the server counted;
 * events/s over it; process CPU time ({@code OperatingSystemMXBean.getProcessCpuTime}) over the
 * same span, in total and without the server's own threads (sampled every 20 ms), per delivered
 * event; events lost (produced − delivered); for ours the drop counters of {@link OtelAnalytics#stats()}
 * and what is still in the outbox (sent by a later run, not lost). Each run is a fresh JVM:
 * class loading and JIT warm-up are part of it, alike for both clients, unless {@code --warmup N}
 * first sends N events (see {@link #warmUp}), as a service that has run for a while would have. One line {@code csv,...}
 * (header {@code csv,client,...} with {@code --csv-header}) and one human line are printed.
 */
public final class ThroughputRun {
  static final String API_KEY = "phc_throughput0123456789abcdefghijklmnopqrstu";
  static final int ATTRIBUTES = 10;

  private ThroughputRun() {}

  static final String CSV_HEADER = "csv,client,events,producers,stall_s,queue,outbox_mib,produce_ms,wall_ms,delivered,received,"
      + "lost,events_per_s,cpu_ms,sink_cpu_ms,cpu_us_per_event,client_cpu_us_per_event,client_cpu_us_per_produced,heap_peak_mib,requests,"
      + "dropped_queue_full,dropped_outbox_full,dropped_other,outbox_bytes_left,stopped_by";

  public static void main(String[] args) throws Exception {
    // Before the first HttpServer class loads: without it each request waits 40 to 55 ms for a delayed ACK.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("ThroughputRun: " + e.getMessage());
      System.err.println("usage: ThroughputRun ours|posthog [--events N] [--warmup N] [--producers N] [--stall-seconds S] [--queue N]"
          + " [--outbox-mib M] [--quiet-seconds S] [--max-wait-seconds S] [--sink-threads N] [--ph-flush-at N] [--ph-batch N]"
          + " [--ph-queue N] [--ph-interval S] [--ph-flush idle|always] [--csv-header] [--trace]");
      System.exit(2);
      return;
    }
    if (o.csvHeader) {
      System.out.println(CSV_HEADER);
    }
    int exit;
    try (Sink sink = new Sink(o.sinkThreads, o.events)) {
      exit = run(o, sink);
    }
    exitWhenOnlyDaemonsAreLeft(exit);
  }

  /**
   * With {@code --warmup N}: N events first, in rounds of 1,000 from the main thread, each round
   * waited for until the server has it, so that nothing is dropped while the JIT compiles the
   * hot paths; then the server's counts and the client's counters start again from zero.
   */
  private static void warmUp(Options o, Client client, Sink sink) throws InterruptedException {
    if (o.warmup == 0) {
      return;
    }
    long started = System.nanoTime();
    for (int done = 0; done < o.warmup; ) {
      int round = Math.min(1_000, o.warmup - done);
      for (int i = 0; i < round; i++) {
        client.produce(o.events + done + i);
      }
      done += round;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (sink.distinct() < done && System.nanoTime() - deadline < 0) {
        client.flush();
        Thread.sleep(5);
      }
    }
    System.err.printf(Locale.ROOT, "warm-up: %,d events, %,d delivered, in %,d ms%n", o.warmup, sink.distinct(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    sink.reset();
    client.startCounting();
  }

  private static int run(Options o, Sink sink) throws Exception {
    Client client = o.client.equals("ours") ? new Ours(o, sink.url()) : new PostHogClient(o, sink.url());
    HeapPeak heap = new HeapPeak();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> producers = new ArrayList<>();
      LongAdder produced = new LongAdder();
      for (int p = 0; p < o.producers; p++) {
        int first = p;
        Thread t = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = first; i < o.events; i += o.producers) {
            client.produce(i);
            produced.increment();
          }
        }, "producer-" + p);
        producers.add(t);
        t.start();
      }
      warmUp(o, client, sink);
      heap.start();
      long cpu0 = os.getProcessCpuTime();
      long sinkCpu0 = sink.cpuNanos();
      long t0 = System.nanoTime();
      sink.startRun(t0, TimeUnit.SECONDS.toNanos(o.stallSeconds));
      start.countDown();
      for (Thread t : producers) {
        t.join();
      }
      long producedAt = System.nanoTime();

      long lastDistinct = sink.distinct();
      long lastSeen = System.nanoTime();
      long cpuAtLast = os.getProcessCpuTime();
      long sinkCpuAtLast = sink.cpuNanos();
      long nextFlush = 0;
      long nextTrace = t0;
      String stoppedBy;
      while (true) {
        long now = System.nanoTime();
        if (o.trace && now - nextTrace >= 0) {
          nextTrace = now + TimeUnit.SECONDS.toNanos(1);
          System.err.printf(Locale.ROOT, "trace: %5.1f s: server has %,d events (%,d requests)%n", (now - t0) / 1e9, sink.distinct(),
              sink.requests());
        }
        if (now - nextFlush >= 0 && now - lastSeen >= client.flushWhenIdleNanos()) {
          nextFlush = now + client.flushEveryNanos();
          client.flush();
        }
        long distinct = sink.distinct();
        if (distinct > lastDistinct) {
          lastDistinct = distinct;
          lastSeen = System.nanoTime();
          cpuAtLast = os.getProcessCpuTime();
          sinkCpuAtLast = sink.cpuNanos();
        }
        now = System.nanoTime();
        if (distinct >= o.events) {
          stoppedBy = "all";
          break;
        }
        // Quiet since the last new event, or since the stall ended when that came later.
        long quietSince = lastSeen - sink.stallEnd() >= 0 ? lastSeen : sink.stallEnd();
        if (now - quietSince >= TimeUnit.SECONDS.toNanos(o.quietSeconds)) {
          stoppedBy = "quiet";
          break;
        }
        if (now - t0 >= TimeUnit.SECONDS.toNanos(o.maxWaitSeconds)) {
          stoppedBy = "max-wait";
          break;
        }
        Thread.sleep(client.pollMillis());
      }
      heap.stop();
      long delivered = sink.distinct();
      long lastCounted = sink.lastGrowthNanos();
      long wallNanos = Math.max(1, (delivered > 0 ? lastCounted : System.nanoTime()) - t0);
      long cpu = cpuAtLast - cpu0;
      long sinkCpu = sinkCpuAtLast - sinkCpu0;
      long producedCount = produced.sum();
      Result r = new Result();
      r.produceMillis = TimeUnit.NANOSECONDS.toMillis(producedAt - t0);
      r.wallMillis = TimeUnit.NANOSECONDS.toMillis(wallNanos);
      r.delivered = delivered;
      r.lost = producedCount - delivered;
      r.eventsPerSecond = delivered * 1e9 / wallNanos;
      r.cpuMillis = TimeUnit.NANOSECONDS.toMillis(cpu);
      r.sinkCpuMillis = TimeUnit.NANOSECONDS.toMillis(sinkCpu);
      r.cpuMicrosPerEvent = delivered == 0 ? Double.NaN : cpu / 1e3 / delivered;
      r.clientCpuMicrosPerEvent = delivered == 0 ? Double.NaN : (cpu - sinkCpu) / 1e3 / delivered;
      r.clientCpuMicrosPerProduced = producedCount == 0 ? Double.NaN : (cpu - sinkCpu) / 1e3 / producedCount;
      client.describe(r);
      String csv = String.join(",", "csv", o.client, String.valueOf(producedCount), String.valueOf(o.producers),
          String.valueOf(o.stallSeconds), r.queue, r.outboxMib, String.valueOf(r.produceMillis), String.valueOf(r.wallMillis),
          String.valueOf(delivered), String.valueOf(sink.received()), String.valueOf(r.lost),
          String.format(Locale.ROOT, "%.0f", r.eventsPerSecond), String.valueOf(r.cpuMillis), String.valueOf(r.sinkCpuMillis),
          String.format(Locale.ROOT, "%.2f", r.cpuMicrosPerEvent), String.format(Locale.ROOT, "%.2f", r.clientCpuMicrosPerEvent),
          String.format(Locale.ROOT, "%.2f", r.clientCpuMicrosPerProduced), String.valueOf(heap.peakMib()), String.valueOf(sink.requests()), r.droppedQueueFull, r.droppedOutboxFull, r.droppedOther,
          r.outboxBytesLeft, stoppedBy);
      System.out.println(csv);
      System.out.println("threads (CPU from the start of the run to its end): " + heap.cpuByThread(os.getProcessCpuTime() - cpu0));
      System.out.println(String.format(Locale.ROOT,
          "%s: %,d events by %d producers in %,d ms; server got %,d (%,d with resends, %,d requests) in %,d ms = %,.0f events/s;"
              + " lost %,d%s; CPU %,d ms = %.1f µs/delivered event (%.1f µs without the server's %,d ms; %.1f µs per event"
              + " produced); heap peak ~%,d MiB;"
              + " stopped: %s; OkHttp %s",
          o.client, producedCount, o.producers, r.produceMillis, delivered, sink.received(), sink.requests(), r.wallMillis,
          r.eventsPerSecond, r.lost, r.detail, r.cpuMillis, r.cpuMicrosPerEvent, r.clientCpuMicrosPerEvent, r.sinkCpuMillis,
          r.clientCpuMicrosPerProduced, heap.peakMib(), stoppedBy, okHttpVersion()));
      return 0;
    } finally {
      client.close();
    }
  }

  private static String okHttpVersion() {
    try {
      return okhttp3.OkHttp.VERSION;
    } catch (LinkageError e) {
      return "?";
    }
  }

  /** Exits as a JVM does once only daemon threads are left; names any other thread still alive after 5 s, then exits anyway. */
  private static void exitWhenOnlyDaemonsAreLeft(int code) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    List<String> left;
    do {
      left = new ArrayList<>();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.isAlive() && !t.isDaemon() && t != Thread.currentThread() && !t.getName().equals("DestroyJavaVM")) {
          left.add(t.getName());
        }
      }
      if (left.isEmpty()) {
        return; // main returns and the JVM exits by itself
      }
      Thread.sleep(100);
    } while (System.nanoTime() - deadline < 0);
    System.err.println("ThroughputRun: threads still running after close, exiting anyway: " + left);
    System.exit(code);
  }

  /** What one run found, as text for the CSV line. */
  static final class Result {
    long produceMillis;
    long wallMillis;
    long delivered;
    long lost;
    double eventsPerSecond;
    long cpuMillis;
    long sinkCpuMillis;
    double cpuMicrosPerEvent;
    double clientCpuMicrosPerEvent;
    double clientCpuMicrosPerProduced;
    String queue = "";
    String outboxMib = "";
    String droppedQueueFull = "";
    String droppedOutboxFull = "";
    String droppedOther = "";
    String outboxBytesLeft = "";
    String detail = "";
  }

  /** One of the two clients. */
  interface Client {
    /** Produces event {@code i} on the calling (producer) thread. */
    void produce(int i);

    /** Asks for what is held to be sent; called in a loop once production is over. */
    void flush();

    /** How often {@link #flush} is called at most. */
    long flushEveryNanos();

    /** How long the server must have counted nothing new before {@link #flush} is called. */
    long flushWhenIdleNanos();

    /** How long the main thread sleeps between looks at the server's count. */
    long pollMillis();

    /** Adds the client's own counters, since {@link #startCounting}, to {@code r}. */
    void describe(Result r);

    /** Counts from zero from now on (after a warm-up). */
    default void startCounting() {}

    void close() throws IOException;
  }

  /** An OpenTelemetry tracer provider with otel-analytics sending to PostHog. */
  static final class Ours implements Client {
    private final Path stateDir;
    private final OtelAnalytics analytics;
    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final List<RealisticAttributes.Spec> specs = RealisticAttributes.first(ATTRIBUTES);
    private final Options options;

    Ours(Options o, String endpoint) throws IOException {
      this.options = o;
      stateDir = Files.createTempDirectory("throughput-ours");
      OtelAnalyticsBuilder b = OtelAnalytics.builder()
          .setServiceName(WorkerCostBenchmark.SERVICE_NAME)
          .setStateDirectory(stateDir)
          .setNoticeOutput(new PrintStream(OutputStream.nullOutputStream()))
          .setPolicy(RealisticAttributes.policy(specs))
          .setDestination(PostHogDestination.builder().setEndpoint(endpoint).setApiKey(API_KEY).build());
      if (o.queue > 0) {
        b.setQueueSize(o.queue);
      }
      if (o.outboxMib > 0) {
        b.setOutboxMaxSize(o.outboxMib * 1024L * 1024L);
      }
      analytics = b.build();
      if (analytics.level() != AnalyticsLevel.ANONYMOUS || !analytics.destinationName().equals("posthog")) {
        throw new IllegalStateException("analytics runs at level " + analytics.level() + " to " + analytics.destinationName()
            + ", not anonymous to posthog: unset DO_NOT_TRACK and the OTEL_ANALYTICS_* variables for this run");
      }
      provider = SdkTracerProvider.builder()
          .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), WorkerCostBenchmark.SERVICE_NAME,
              AttributeKey.stringKey("service.version"), WorkerCostBenchmark.SERVICE_VERSION)))
          .addSpanProcessor(analytics.spanProcessor())
          .build();
      tracer = provider.get("throughput");
    }

    @Override
    public void produce(int i) {
      RealisticAttributes.setOn(tracer.spanBuilder(RealisticAttributes.command(i)).setNoParent(), specs, i).startSpan().end();
    }

    @Override
    public void flush() {
      analytics.forceFlush(); // not waited for: the worker seals its batch and the sender sends
    }

    @Override
    public long flushEveryNanos() {
      return TimeUnit.SECONDS.toNanos(1);
    }

    @Override
    public long flushWhenIdleNanos() {
      return 0;
    }

    @Override
    public long pollMillis() {
      return 20;
    }

    private DeliveryStats baseline;

    @Override
    public void startCounting() {
      baseline = analytics.stats();
    }

    @Override
    public void describe(Result r) {
      DeliveryStats s = analytics.stats();
      DeliveryStats b = baseline;
      long queueFull = s.droppedQueueFull() - (b == null ? 0 : b.droppedQueueFull());
      long outboxFull = s.droppedOutboxFull() - (b == null ? 0 : b.droppedOutboxFull());
      long other = otherDrops(s) - (b == null ? 0 : otherDrops(b));
      long delivered = s.eventsDelivered() - (b == null ? 0 : b.eventsDelivered());
      long retries = s.retries() - (b == null ? 0 : b.retries());
      r.queue = options.queue > 0 ? String.valueOf(options.queue) : "default";
      r.outboxMib = options.outboxMib > 0 ? String.valueOf(options.outboxMib) : "default";
      r.droppedQueueFull = String.valueOf(queueFull);
      r.droppedOutboxFull = String.valueOf(outboxFull);
      r.droppedOther = String.valueOf(other);
      r.outboxBytesLeft = String.valueOf(s.outboxSize());
      r.detail = String.format(Locale.ROOT, " (stats: droppedQueueFull %,d, droppedOutboxFull %,d, other drops %,d, delivered %,d,"
              + " retries %,d, %,d bytes left in the outbox, %,d spans queued)", queueFull, outboxFull, other,
          delivered, retries, s.outboxSize(), s.queued());
    }

    private static long otherDrops(DeliveryStats s) {
      return s.droppedAfterShutdown() + s.droppedProcessorError() + s.mappingFailures() + s.droppedRejected()
          + s.droppedOversize() + s.droppedTooOld() + s.droppedCorrupt();
    }

    @Override
    public void close() throws IOException {
      provider.shutdown().join(10, TimeUnit.SECONDS);
      analytics.shutdown().join(10, TimeUnit.SECONDS);
      try (Stream<Path> files = Files.walk(stateDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** posthog-server 2.3.0, as its README shows it. */
  static final class PostHogClient implements Client {
    private final PostHogInterface posthog;
    private final List<RealisticAttributes.Spec> specs = RealisticAttributes.first(ATTRIBUTES);
    private final Options options;

    PostHogClient(Options o, String host) {
      this.options = o;
      posthog = PostHog.with(PostHogConfig.builder(API_KEY)
          .host(host)
          .flushAt(o.phFlushAt)
          .maxBatchSize(o.phBatch)
          .maxQueueSize(o.phQueue)
          .flushIntervalSeconds(o.phInterval)
          .build());
    }

    @Override
    public void produce(int i) {
      // What a team sends itself: the same built-in properties and raw attribute values our events carry.
      Map<String, Object> properties = new LinkedHashMap<>();
      properties.put("duration_ms", 0L);
      properties.put("success", true);
      Map<String, Object> raw = RealisticAttributes.rawValues(specs, i);
      properties.putAll(raw);
      properties.put("service.name", WorkerCostBenchmark.SERVICE_NAME);
      properties.put("service.version", WorkerCostBenchmark.SERVICE_VERSION);
      properties.put("$process_person_profile", false);
      properties.put("$geoip_disable", true);
      posthog.capture((String) raw.get("enduser.id"), RealisticAttributes.command(i),
          PostHogCaptureOptions.builder().properties(properties).build());
    }

    @Override
    public void flush() {
      posthog.flush(); // sends one batch, on this thread; returns at once while another send runs
    }

    @Override
    public long flushEveryNanos() {
      return 0;
    }

    /**
     * By default ({@code --ph-flush idle}) only once the server has seen nothing new for 300 ms:
     * posthog-server sends one batch at a time, and its queue thread, which sends as events come in,
     * skips its send while one made here runs; its queue then fills and drops the oldest events.
     * Calling flush() only when sending has stopped sends what is below flushAt without causing
     * that. With {@code --ph-flush always}, every 5 ms whatever happens (flush() does not wait for
     * the client's pause after a failed send, so it also sends during that pause).
     */
    @Override
    public long flushWhenIdleNanos() {
      return options.phFlushAlways ? 0 : TimeUnit.MILLISECONDS.toNanos(300);
    }

    @Override
    public long pollMillis() {
      return 5;
    }

    @Override
    public void describe(Result r) {
      r.queue = "ph:" + options.phQueue;
      r.outboxMib = "none";
      r.detail = String.format(Locale.ROOT, " (posthog flushAt %d, maxBatchSize %d, maxQueueSize %d: drops the oldest when full;"
          + " flush() called %s)", options.phFlushAt, options.phBatch, options.phQueue,
          options.phFlushAlways ? "every 5 ms" : "when the server saw nothing new for 300 ms");
    }

    @Override
    public void close() {
      posthog.close(); // does not send what is left; stops its timer thread so the JVM can exit
    }
  }

  /**
   * A PostHog batch endpoint on loopback: counts the events of each {@code POST /batch} body
   * (gzip or not) with a streaming parse, keeps their uuids, answers 200 {@code {"status":1}}.
   */
  static final class Sink implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] OK = "{\"status\":1}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService pool;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
    private final Set<String> uuids;
    private final AtomicLong distinct = new AtomicLong();
    private final LongAdder received = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private volatile long lastGrowthNanos;
    private volatile long stallEnd = Long.MIN_VALUE;
    private volatile boolean stallSet;

    Sink(int threadCount, int expectedEvents) throws IOException {
      uuids = ConcurrentHashMap.newKeySet(expectedEvents * 2);
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
      pool = Executors.newFixedThreadPool(threadCount, r -> {
        Thread t = new Thread(r, "sink-" + threads.size());
        t.setDaemon(true);
        threads.add(t);
        return t;
      });
      server.setExecutor(pool);
      server.createContext("/", this::handle);
      server.start();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().startsWith("HTTP-Dispatcher")) {
          threads.add(t);
        }
      }
      if (threadBean.isThreadCpuTimeSupported() && !threadBean.isThreadCpuTimeEnabled()) {
        threadBean.setThreadCpuTimeEnabled(true);
      }
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void startRun(long t0, long stallNanos) {
      stallEnd = t0 + stallNanos;
      stallSet = true;
    }

    long stallEnd() {
      return stallEnd;
    }

    long distinct() {
      return distinct.get();
    }

    /** Forgets what was counted (after a warm-up). */
    void reset() {
      uuids.clear();
      distinct.set(0);
      received.reset();
      requests.reset();
    }

    long received() {
      return received.sum();
    }

    long requests() {
      return requests.sum();
    }

    long lastGrowthNanos() {
      return lastGrowthNanos;
    }

    /** CPU time of the server's threads (its pool and its dispatcher) so far. */
    long cpuNanos() {
      long sum = 0;
      for (Thread t : threads) {
        long cpu = threadBean.getThreadCpuTime(t.getId());
        if (cpu > 0) {
          sum += cpu;
        }
      }
      return sum;
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().startsWith("/batch")) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        byte[] raw = exchange.getRequestBody().readAllBytes();
        long hold = stallSet ? stallEnd - System.nanoTime() : 0;
        if (hold > 0) {
          try {
            TimeUnit.NANOSECONDS.sleep(hold);
          } catch (InterruptedException e) {
            return;
          }
        }
        InputStream body = new ByteArrayInputStream(raw);
        if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
          body = new GZIPInputStream(body);
        }
        try {
          count(body);
        } catch (IOException | RuntimeException e) {
          exchange.sendResponseHeaders(400, -1);
          return;
        }
        requests.increment();
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, OK.length);
        exchange.getResponseBody().write(OK);
      }
    }

    /** Counts the items of the body's {@code batch} array and the new uuids among them. */
    private void count(InputStream body) throws IOException {
      long items = 0;
      long added = 0;
      try (JsonParser p = JSON.createParser(body)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw new IOException("not a JSON object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken value = p.nextToken();
          if (!field.equals("batch") || value != JsonToken.START_ARRAY) {
            p.skipChildren();
            continue;
          }
          while (p.nextToken() == JsonToken.START_OBJECT) {
            items++;
            String uuid = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String name = p.currentName();
              p.nextToken();
              if (name.equals("uuid")) {
                uuid = p.getText();
              } else {
                p.skipChildren();
              }
            }
            if (uuid != null && uuids.add(uuid)) {
              added++;
            }
          }
        }
      }
      received.add(items);
      if (added > 0) {
        distinct.addAndGet(added);
        lastGrowthNanos = System.nanoTime();
      }
    }

    @Override
    public void close() {
      server.stop(0);
      pool.shutdownNow();
    }
  }

  /**
   * The largest heap use seen, sampled every 20 ms (garbage included: a rough upper bound), and the
   * CPU time of each Java thread, sampled every 100 ms so that a thread that ended keeps its last
   * figure (JIT compiler and GC threads are not Java threads: they are what the process used beyond).
   */
  static final class HeapPeak {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final AtomicLong peak = new AtomicLong();
    private final Map<Long, String> threadNames = new ConcurrentHashMap<>();
    private final Map<Long, Long> threadCpu = new ConcurrentHashMap<>();
    private final Map<Long, Long> threadBaseline = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private final Thread thread = new Thread(() -> {
      int round = 0;
      while (running) {
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        if (round++ % 5 == 0) {
          sampleThreads();
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-peak");

    void start() {
      for (long id : threads.getAllThreadIds()) {
        threadBaseline.put(id, Math.max(0, threads.getThreadCpuTime(id)));   // what each thread had used before the run
      }
      thread.setDaemon(true);
      thread.start();
    }

    void stop() {
      running = false;
      sampleThreads();
    }

    private synchronized void sampleThreads() {
      for (long id : threads.getAllThreadIds()) {
        long cpu = threads.getThreadCpuTime(id);
        if (cpu < 0) {
          continue;
        }
        String name = threadNames.computeIfAbsent(id, i -> {
          java.lang.management.ThreadInfo info = threads.getThreadInfo(i);
          return info == null ? "?" : info.getThreadName().replaceAll("[0-9]+", "N");
        });
        threadCpu.put(id, cpu - threadBaseline.getOrDefault(id, 0L));
      }
    }

    /** CPU milliseconds per thread name (digits as N), the largest first, over {@code processCpuNanos} in all. */
    String cpuByThread(long processCpuNanos) {
      Map<String, Long> byName = new LinkedHashMap<>();
      long sum = 0;
      for (Map.Entry<Long, Long> e : threadCpu.entrySet()) {
        long cpu = Math.max(0, e.getValue());
        byName.merge(threadNames.get(e.getKey()), cpu, Long::sum);
        sum += cpu;
      }
      StringBuilder out = new StringBuilder();
      byName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .filter(e -> e.getValue() >= 1_000_000)
          .forEach(e -> out.append(String.format(Locale.ROOT, "%s %,d ms; ", e.getKey(), e.getValue() / 1_000_000)));
      return out.append(String.format(Locale.ROOT, "JIT, GC and other VM threads %,d ms",
          Math.max(0, processCpuNanos - sum) / 1_000_000)).toString();
    }

    long peakMib() {
      return peak.get() / (1024 * 1024);
    }
  }

  /** The command line. */
  static final class Options {
    String client;
    int events = 200_000;
    int warmup;
    int producers = 4;
    int stallSeconds;
    int queue;
    int outboxMib;
    int quietSeconds = 3;
    int maxWaitSeconds = 180;
    int sinkThreads = 4;
    int phFlushAt = PostHogConfig.DEFAULT_FLUSH_AT;
    int phBatch = PostHogConfig.DEFAULT_MAX_BATCH_SIZE;
    int phQueue = PostHogConfig.DEFAULT_MAX_QUEUE_SIZE;
    int phInterval = PostHogConfig.DEFAULT_FLUSH_INTERVAL_SECONDS;
    boolean csvHeader;
    boolean trace;
    boolean phFlushAlways;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("ours") || a.equals("posthog")) {
          o.client = a;
          continue;
        }
        if (a.equals("--csv-header")) {
          o.csvHeader = true;
          continue;
        }
        if (a.equals("--trace")) {
          o.trace = true;
          continue;
        }
        if (a.equals("--ph-flush") && i + 1 < args.length && (args[i + 1].equals("idle") || args[i + 1].equals("always"))) {
          o.phFlushAlways = args[++i].equals("always");
          continue;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("unknown argument or missing value: " + a);
        }
        int v;
        try {
          v = Integer.parseInt(args[++i]);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(a + " needs a whole number, not " + args[i]);
        }
        if (v < 0) {
          throw new IllegalArgumentException(a + " must not be negative");
        }
        switch (a) {
          case "--events": o.events = v; break;
          case "--warmup": o.warmup = v; break;
          case "--producers": o.producers = Math.max(1, v); break;
          case "--stall-seconds": o.stallSeconds = v; break;
          case "--queue": o.queue = v; break;
          case "--outbox-mib": o.outboxMib = v; break;
          case "--quiet-seconds": o.quietSeconds = v; break;
          case "--max-wait-seconds": o.maxWaitSeconds = v; break;
          case "--sink-threads": o.sinkThreads = Math.max(1, v); break;
          case "--ph-flush-at": o.phFlushAt = v; break;
          case "--ph-batch": o.phBatch = v; break;
          case "--ph-queue": o.phQueue = v; break;
          case "--ph-interval": o.phInterval = v; break;
          default: throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (o.client == null) {
        throw new IllegalArgumentException("name the client: ours or posthog");
      }
      return o;
    }
  }
}
