package dev.otelanalytics.leaks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.policy.AttributeType;
import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.event.EventNames;
import dev.otelanalytics.internal.guard.GuardReason;
import dev.otelanalytics.internal.guard.ValueGuards;
import dev.otelanalytics.policy.PrivacyPolicy;
import dev.otelanalytics.testing.RecordingDestination;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How often the guards drop values that are not personal at all.
 *
 * <p>A corpus of several hundred realistic benign values (command names, route templates,
 * versions, runtime versions, status codes, OS names, exception classes, dates, durations,
 * feature flags, locales, file extensions, MIME types, pod names, short git SHAs, and more) goes
 * through {@link ValueGuards#check(String)} directly, as allowlisted attribute values through the
 * pipeline, and as span names through the pipeline ({@code EventNames}). At most 1% of the values
 * may be dropped. The rates and the dropped values are printed, so they can be quoted.
 *
 * <p>The corpus is written to be realistic, not to pass: do not remove a value because it is
 * dropped. If the rate is above 1%, that is a finding to report. (When this was written it was:
 * 11 of 505, 2.18%, by the guards, eight of them Kubernetes pod names taken for secrets; and
 * 7 of 404 name-shaped span names, all pod names. Those two tests fail until the guards change.)
 */
class FalsePositiveTest {
  static final double MAX_DROP_RATE = 0.01;
  private static final String VALUE_KEY = "app.value";
  private static final String CASE_KEY = "fp.case";

  /** Category → values. */
  static final Map<String, List<String>> CORPUS = new LinkedHashMap<>();

  static {
    CORPUS.put("cli command", List.of(
        "init", "build", "deploy", "inspect", "status", "login", "logout", "config set", "config get", "config list",
        "cache clear", "cache prune", "db migrate", "db rollback", "db seed", "plugin install", "plugin remove", "run",
        "test", "lint", "format", "publish", "upgrade", "doctor", "version", "help", "completion bash", "completion zsh",
        "auth refresh", "auth status", "project create", "project delete", "workspace switch", "secrets list",
        "env pull", "logs tail", "backup restore", "image push", "cluster scale", "node drain", "apply", "diff", "plan",
        "destroy", "import", "export", "sync", "watch", "serve", "clean", "package", "install", "uninstall", "update",
        "cli.inspect", "cli.deploy", "mycli:build", "git commit", "git rebase", "kubectl get pods", "docker compose up",
        "mvn verify", "gradle assemble", "npm run build", "token revoke", "key rotate", "user invite"));
    CORPUS.put("http route", List.of(
        "/api/v1/items/{id}", "/api/v2/users/{userId}/orders", "/api/v1/orders/{orderId}/items/{itemId}", "/healthz",
        "/readyz", "/metrics", "/api/v1/search", "/api/v1/items", "/users/{id}/avatar", "/login", "/logout",
        "/oauth2/callback", "/.well-known/openid-configuration", "/static/*", "/assets/{file}", "/graphql",
        "/v1/chat/completions", "/api/v3/repos/{owner}/{repo}/pulls/{number}", "/Home/Index", "/home/feed",
        "/api/home/feed", "/docs/{*path}", "/webhooks/stripe", "/internal/admin/reindex", "/api/v1/projects/{projectId}/keys",
        "GET /api/v1/items/{id}", "POST /api/v1/orders", "PUT /api/v1/users/{id}", "DELETE /api/v1/sessions/{id}",
        "PATCH /api/v1/items/{id}", "GET /healthz", "HEAD /", "OPTIONS /api/v1/items", "GET /api/v2/users/{userId}/orders",
        "POST /oauth2/token", "GET /users/:id", "GET /files/*", "POST /upload", "GET /api/v1/items/{id}/history",
        "GET /v2/{name}/manifests/{reference}"));
    CORPUS.put("semantic version", List.of(
        "1.0.0", "0.1.0", "2.3.4", "10.20.30", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7", "1.0.0-x.7.z.92",
        "1.0.0-x-y-z.--", "1.0.0-alpha+001", "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85",
        "1.0.0+21AF26D3----117B344092BD", "1.0.0-rc.1+build.1", "2.0.0-rc.1+build.123", "1.2.3-beta.11",
        "0.1.0-SNAPSHOT", "5.14.1", "1.68.0", "v2.4.0", "3.0.0-M1", "4.1.100.Final", "2.17.2", "6.1.14",
        "3.3.4", "1.9.24", "2.0.21", "21.1.0", "0.0.1-dev", "v1.2.3-rc2", "1.2.3-dirty", "2024.1.3", "1.0.0-SNAPSHOT+g5114f85"));
    CORPUS.put("java runtime version", List.of(
        "17.0.15+6-Debian-1deb12u1", "21.0.2+13-LTS", "1.8.0_402-b06", "11.0.22+7", "17.0.10+7-LTS",
        "21.0.5+11-Ubuntu-1ubuntu124.04", "22.0.1+8-16", "17.0.9+9-Ubuntu-122.04", "1.8.0_392",
        "11.0.21+9-post-Ubuntu-0ubuntu122.04",
        "17.0.11+9", "21.0.3+9-LTS", "23+37-2369", "17", "21", "1.8", "OpenJDK 64-Bit Server VM", "Eclipse Adoptium",
        "Temurin-17.0.15+6", "GraalVM CE 21.0.2+13.1"));
    CORPUS.put("http status", List.of(
        "200", "201", "202", "204", "301", "302", "304", "400", "401", "403", "404", "405", "409", "410", "418", "422",
        "429", "500", "501", "502", "503", "504", "4xx", "5xx", "HTTP 404", "HTTP/1.1 200 OK", "Not Found",
        "Service Unavailable"));
    CORPUS.put("os and arch", List.of(
        "Linux", "Mac OS X", "Windows 11", "Windows 10", "Windows Server 2022", "FreeBSD", "linux", "darwin", "windows",
        "amd64", "aarch64", "x86_64", "arm64", "x86", "ppc64le", "s390x", "linux-x86_64", "darwin-arm64", "windows-amd64",
        "6.1.0-18-amd64", "5.15.0-1057-azure", "14.4.1", "10.0", "6.8.0-45-generic", "Ubuntu 22.04.4 LTS",
        "Debian GNU/Linux 12 (bookworm)", "Alpine Linux v3.19", "macOS Sonoma", "Fedora 40", "6.5.0-1025-aws"));
    CORPUS.put("exception class", List.of(
        "java.io.FileNotFoundException", "NoSuchFileException", "Http2Exception", "SSLHandshakeException", "S3Exception",
        "Ec2Exception", "Base64DecodingException", "CertificateExpiredException", "UnknownHostException",
        "SocketTimeoutException", "OAuth2AuthenticationException", "Http2ConnectionPrefaceException",
        "software.amazon.awssdk.services.s3.model.NoSuchKeyException", "com.fasterxml.jackson.core.JsonParseException",
        "org.h2.jdbc.JdbcSQLSyntaxErrorException", "io.grpc.StatusRuntimeException", "java.lang.ArrayIndexOutOfBoundsException",
        "kotlinx.coroutines.TimeoutCancellationException", "org.postgresql.util.PSQLException",
        "java.util.concurrent.TimeoutException", "javax.net.ssl.SSLException", "MongoWriteException", "Neo4jException",
        "java.lang.NullPointerException", "java.lang.OutOfMemoryError", "java.lang.StackOverflowError",
        "io.netty.handler.codec.http2.Http2Exception$StreamException",
        "org.springframework.web.client.HttpClientErrorException$NotFound",
        "Utf8EncodingException", "X509CertificateParsingException", "Sha256MismatchException", "IPv6AddressException",
        "java.nio.file.AccessDeniedException", "com.mysql.cj.jdbc.exceptions.CommunicationsException",
        "java.net.ConnectException", "java.lang.IllegalStateException"));
    CORPUS.put("iso date and time", List.of(
        "2026-11-23", "2026-11-23T16:09:42Z", "2026-11-23T16:09:42.123Z", "2026-11-23T16:09:42+01:00",
        "2026-11-23T16:09:42.123456789Z", "2026-11-23T16:09:42.123+05:30", "16:09:42", "16:09", "2026-W47", "2026-327",
        "2026-11-23 16:09:42", "2026-11", "2026", "23/11/2026", "11/23/2026", "23.11.2026", "Mon, 23 Nov 2026 16:09:42 GMT",
        "T16:09:42Z", "2026-11-23T00:00:00Z", "2026-11-23T23:59:59.999Z"));
    CORPUS.put("duration", List.of(
        "PT1.5S", "PT2H", "P1DT2H", "PT0.250S", "250ms", "1m30s", "3.2s", "1500", "00:01:30", "00:00:00.250", "2h", "5m",
        "30s", "1d", "10 seconds", "1.5 s", "12ms", "PT15M", "P7D", "0.003"));
    CORPUS.put("feature flag", List.of(
        "new-checkout-flow", "enable_dark_mode", "beta.search.v2", "ff_payment_retry", "use-http2-client",
        "rollout-2026-q4", "exp_onboarding_variant_b", "kill-switch.recommendations", "canary.api.v3",
        "release/2026.11", "ui.newNavigation", "search_ranking_v7", "allow-guest-checkout", "billing.v2.enabled",
        "show_promo_banner", "dark-launch-graphql", "flag:fast-sync", "enableHttp3", "use_new_parser", "holdout_control"));
    CORPUS.put("locale", List.of(
        "en", "en-US", "en-GB", "de-DE", "pt_BR", "zh-Hans-CN", "sr-Latn-RS", "fr-CA", "es-419", "ja-JP", "ko_KR", "nb-NO",
        "de_CH.UTF-8", "C.UTF-8", "en_US.UTF-8", "POSIX", "und", "ar-EG", "hi-IN", "tr-TR"));
    CORPUS.put("file extension", List.of(
        ".txt", ".json", ".tar.gz", ".docx", ".yaml", ".yml", ".jar", ".class", ".kt", ".java", ".py", ".ts", ".tsx",
        ".md", ".csv", ".parquet", ".png", ".jpeg", ".mp4", ".zip", ".7z", ".pdf", ".xlsx", ".log", ".pem"));
    CORPUS.put("mime type", List.of(
        "application/json", "text/html; charset=utf-8", "application/vnd.api+json", "image/svg+xml", "text/plain",
        "application/octet-stream", "application/x-www-form-urlencoded", "multipart/form-data",
        "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW", "application/problem+json",
        "application/grpc", "application/x-ndjson", "text/event-stream", "image/webp", "video/mp4", "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/x-protobuf",
        "text/csv; charset=UTF-8", "application/zip"));
    CORPUS.put("k8s pod name", List.of(
        "checkout-7d4b9c8f6-x2k9p", "api-server-5f6c7d8b9-abcde", "redis-master-0", "kube-proxy-x7f2k",
        "coredns-5d78c9869d-4hq2m", "ingress-nginx-controller-7b9f6c5d4-lm8np", "etcd-control-plane",
        "payments-worker-6b8f9d7c5-zt4wq", "postgres-0", "kafka-2", "frontend-59d6b7c8f4-9xk2l", "cronjob-cleanup-28901234-7bq5z",
        "prometheus-server-7f9c6d5b8-2mxkp", "argocd-repo-server-6d8f7c9b5-vk7tq", "node-exporter-8kz4x"));
    CORPUS.put("git short sha", List.of(
        "5114f85", "a3f9c2e", "0d1e7b4", "9fceb02", "e83c516", "1a2b3c4", "b7e23ec", "c0ffee1", "deadbee", "4e1243b",
        "77f0a2d", "f00ba12", "3c9d8e7", "8bd2f1a", "2f6e0c9"));
    CORPUS.put("cloud and infra", List.of(
        "eu-west-1", "us-east-1", "ap-southeast-2", "europe-west4-a", "m5.xlarge", "t3.micro", "Standard_D4s_v5",
        "eclipse-temurin:17-jre", "nginx:1.25.3-alpine", "postgres:16.2", "io.opentelemetry:opentelemetry-sdk:1.68.0",
        "checkout-service", "payments-api", "postgresql", "mysql", "redis", "kafka", "SELECT", "INSERT", "orders",
        "http-nio-8080-exec-1", "ForkJoinPool.commonPool-worker-3", "main", "otel-analytics-worker", "8080", "443",
        "https", "grpc", "h2", "HTTP/2.0", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "gzip", "br", "INFO", "WARN", "ERROR",
        "DEBUG", "true", "false", "production", "staging", "dev", "blue", "green", "primary", "replica", "leader",
        "us-central1", "arn:aws:lambda:eu-west-1:function:resize-images"));
    CORPUS.put("product analytics", List.of(
        "checkout completed", "cart.add", "search performed", "page_view", "signup_started", "signup_completed",
        "plan upgraded", "export csv", "report generated", "dashboard opened", "settings saved", "invite sent",
        "free", "pro", "enterprise", "monthly", "annual", "light", "dark", "system", "grid", "list", "table",
        "keyboard", "mouse", "touch", "desktop", "mobile", "tablet", "chrome", "firefox", "safari", "edge",
        "password reset requested", "two-factor enabled", "api key created", "token expired", "session timeout",
        "What? Yes.", "100% done", "a-b-c-d-e-f", "keyboard layout", "N/A", "unknown", "other", "none"));
  }

  static final List<String> VALUES = new ArrayList<>();

  @TempDir static Path stateDir;
  static Map<String, AnalyticsEvent> eventsByCase;

  @BeforeAll
  static void runThroughThePipeline() {
    for (List<String> values : CORPUS.values()) {
      VALUES.addAll(values);
    }
    RecordingDestination destination = RecordingDestination.recording();
    OtelAnalytics analytics = OtelAnalytics.builder()
        .setServiceName("false-positives")
        .setStateDirectory(stateDir)
        .setPolicy(PrivacyPolicy.builder().allowAttribute(VALUE_KEY, "test", AttributeType.text()).allowAttribute(CASE_KEY, "test").build())
        .setDestination(destination)
        .setQueueSize(VALUES.size() + 10)
        .setBatchSize(100)
        .setFlushInterval(Duration.ofHours(1))
        .setShutdownTimeout(Duration.ofSeconds(30))
        .build();
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
    Tracer tracer = provider.get("false-positives");
    for (int i = 0; i < VALUES.size(); i++) {
      tracer.spanBuilder(VALUES.get(i)).setNoParent().setAttribute(CASE_KEY, "fp-" + i).setAttribute(VALUE_KEY, VALUES.get(i))
          .startSpan().end();
    }
    provider.shutdown().join(30, TimeUnit.SECONDS);
    eventsByCase = new HashMap<>();
    for (AnalyticsEvent e : destination.events()) {
      eventsByCase.put((String) e.properties().get(CASE_KEY), e);
    }
    assertThat(eventsByCase).hasSize(VALUES.size());
  }

  @Test
  void theCorpusIsSeveralHundredDistinctValues() {
    assertThat(VALUES.size()).isGreaterThanOrEqualTo(300);
    assertThat(VALUES).doesNotHaveDuplicates();
  }

  @Test
  void atMostOnePercentOfBenignValuesAreDroppedByTheGuards() {
    Map<String, GuardReason> dropped = new LinkedHashMap<>();
    for (String value : VALUES) {
      GuardReason reason = ValueGuards.check(value);
      if (reason != null) {
        dropped.put(value, reason);
      }
    }
    double rate = dropped.size() / (double) VALUES.size();
    System.out.printf(Locale.ROOT, "[false-positives] ValueGuards.check: %d of %d benign values dropped (%.2f%%)%n",
        dropped.size(), VALUES.size(), 100 * rate);
    dropped.forEach((v, r) -> System.out.printf(Locale.ROOT, "[false-positives]   dropped %-45s %s (%s)%n",
        LeakFuzzTest.javaLiteral(v), r, categoryOf(v)));
    assertThat(rate).as("benign values dropped by ValueGuards.check: %s", dropped).isLessThanOrEqualTo(MAX_DROP_RATE);
  }

  @Test
  void allowlistedAttributesThroughThePipelineAreDroppedExactlyWhenTheGuardsSaySo() {
    List<String> dropped = new ArrayList<>();
    for (int i = 0; i < VALUES.size(); i++) {
      String value = VALUES.get(i);
      Object kept = eventsByCase.get("fp-" + i).properties().get(VALUE_KEY);
      if (kept == null) {
        dropped.add(value);
      } else {
        assertThat(kept).isEqualTo(value);
      }
      assertThat(kept == null).as("dropped in the pipeline: %s", value).isEqualTo(ValueGuards.check(value) != null);
    }
    // The rate itself is held by atMostOnePercentOfBenignValuesAreDroppedByTheGuards; here only that the pipeline agrees.
    System.out.printf(Locale.ROOT, "[false-positives] allowlisted attribute (pipeline): %d of %d dropped (%.2f%%)%n",
        dropped.size(), VALUES.size(), 100.0 * dropped.size() / VALUES.size());
  }

  /**
   * Span names: the README's rule keeps the leading words shaped like a name (letters, digits and
   * {@code _ . : { } * $ -}, no four-digit run, at most five words of at most 64 chars; a route
   * only after an HTTP method). Values of that shape must come out whole; the rate of those cut is
   * held to 1%. Values of another shape are cut by design; they are counted and printed, not held.
   */
  @Test
  void atMostOnePercentOfNameShapedBenignSpanNamesAreCut() {
    List<String> cut = new ArrayList<>();
    List<String> cutByDesign = new ArrayList<>();
    int nameShaped = 0;
    for (int i = 0; i < VALUES.size(); i++) {
      String value = VALUES.get(i);
      String name = eventsByCase.get("fp-" + i).name();
      if (isNameShaped(value)) {
        nameShaped++;
        if (!name.equals(value)) {
          cut.add(value + " -> " + name);
        }
      } else if (!name.equals(value)) {
        cutByDesign.add(value + " -> " + name);
      }
    }
    double rate = cut.size() / (double) nameShaped;
    System.out.printf(Locale.ROOT, "[false-positives] span names (EventNames via pipeline): %d of %d name-shaped benign values cut"
        + " (%.2f%%); %d of %d other values cut by the documented shape rule%n",
        cut.size(), nameShaped, 100 * rate, cutByDesign.size(), VALUES.size() - nameShaped);
    cut.forEach(c -> System.out.println("[false-positives]   name cut: " + c));
    cutByDesign.forEach(c -> System.out.println("[false-positives]   (by design) " + c));
    assertThat(rate).as("name-shaped benign span names cut: %s", cut).isLessThanOrEqualTo(MAX_DROP_RATE);
  }

  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.:{}*$][A-Za-z0-9_.:{}*$-]*");
  private static final Pattern ROUTE = Pattern.compile("/[A-Za-z0-9_.:{}*$/-]*");
  private static final Set<String> METHODS =
      new LinkedHashSet<>(List.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY",
          "_OTHER"));

  /** The README's name shape, written independently of EventNames. */
  static boolean isNameShaped(String value) {
    String[] words = value.trim().split("\\s+");
    if (words.length > 5 || value.trim().isEmpty()) {
      return false;
    }
    for (int i = 0; i < words.length; i++) {
      String w = words[i];
      if (w.length() > 64 || Pattern.compile("\\d{4}").matcher(w).find()) {
        return false;
      }
      boolean route = i == 1 && METHODS.contains(words[0]) && ROUTE.matcher(w).matches();
      if (!WORD.matcher(w).matches() && !route) {
        return false;
      }
    }
    return true;
  }

  private static String categoryOf(String value) {
    for (Map.Entry<String, List<String>> e : CORPUS.entrySet()) {
      if (e.getValue().contains(value)) {
        return e.getKey();
      }
    }
    return "?";
  }
}
