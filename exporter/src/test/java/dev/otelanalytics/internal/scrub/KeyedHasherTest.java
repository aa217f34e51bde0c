package dev.otelanalytics.internal.scrub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyedHasherTest {
  private static final byte[] KEY = "test-key-0123456789".getBytes(StandardCharsets.UTF_8);

  private static String hmacTruncatedHex(byte[] key, String value) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    byte[] full = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(Arrays.copyOf(full, 16));
  }

  private static String sha256Hex(String value) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest);
  }

  @ParameterizedTest
  @ValueSource(strings = {"alice", "alice@example.com", "", "ünïcödé ✓", "12345"})
  void equalsIndependentlyComputedHmacSha256TruncatedTo16Bytes(String value) throws Exception {
    assertThat(new KeyedHasher(KEY).hash(value)).isEqualTo(hmacTruncatedHex(KEY, value));
  }

  @Test
  void remembersRecentValuesWithoutMixingThemUp() throws Exception {
    // Far more values than the table has slots, so that slots are shared and replaced, each asked
    // for several times in a mixed order; "Aa" and "BB" have the same String hash code. The same
    // run on four threads at once must give the same answers.
    KeyedHasher hasher = new KeyedHasher(KEY);
    java.util.List<String> values = new java.util.ArrayList<>(java.util.List.of("Aa", "BB", "AaAa", "BBBB", "AaBB"));
    for (int i = 0; i < 2_000; i++) {
      values.add("user-" + i);
    }
    values.add("x".repeat(500));   // longer than what is remembered
    java.util.Map<String, String> expected = new java.util.HashMap<>();
    for (String value : values) {
      expected.put(value, hmacTruncatedHex(KEY, value));
    }
    Runnable check = () -> {
      java.util.SplittableRandom random = new java.util.SplittableRandom(Thread.currentThread().getId());
      for (int i = 0; i < 20_000; i++) {
        String value = values.get(random.nextInt(i % 3 == 0 ? values.size() : 40));
        assertThat(hasher.hash(value)).as(value).isEqualTo(expected.get(value));
      }
    };
    java.util.List<java.util.concurrent.CompletableFuture<Void>> runs = new java.util.ArrayList<>();
    for (int t = 0; t < 4; t++) {
      runs.add(java.util.concurrent.CompletableFuture.runAsync(check));
    }
    for (java.util.concurrent.CompletableFuture<Void> run : runs) {
      run.get();
    }
  }

  @Test
  void differsFromPlainSha256FullAndTruncated() throws Exception {
    String hash = new KeyedHasher(KEY).hash("alice");
    String sha = sha256Hex("alice");
    assertThat(hash).isNotEqualTo(sha);
    assertThat(hash).isNotEqualTo(sha.substring(0, 32));
    assertThat(sha).doesNotContain(hash);
  }

  @Test
  void differentKeysGiveDifferentHashes() {
    String a = new KeyedHasher("key-a".getBytes(StandardCharsets.UTF_8)).hash("alice");
    String b = new KeyedHasher("key-b".getBytes(StandardCharsets.UTF_8)).hash("alice");
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void differentValuesGiveDifferentHashes() {
    KeyedHasher hasher = new KeyedHasher(KEY);
    assertThat(hasher.hash("alice")).isNotEqualTo(hasher.hash("bob"));
  }

  @Test
  void isDeterministicAcrossCallsAndInstances() {
    KeyedHasher hasher = new KeyedHasher(KEY);
    String first = hasher.hash("alice");
    assertThat(hasher.hash("alice")).isEqualTo(first);
    assertThat(new KeyedHasher(KEY.clone()).hash("alice")).isEqualTo(first);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", "a much longer value with spaces and symbols !@#$%^&*()"})
  void outputIs32LowercaseHexChars(String value) {
    assertThat(new KeyedHasher(KEY).hash(value)).hasSize(32).matches("[0-9a-f]{32}");
    assertThat(KeyedHasher.OUTPUT_BYTES).isEqualTo(16);
  }

  @Test
  void aGatewayHashIsTheMarkAnd32LowercaseHexDigitsAndComesBackWithoutTheMark() {
    String hash = new KeyedHasher(KEY).hash("alice");
    assertThat(KeyedHasher.GATEWAY_MARK).isEqualTo("hmac:");
    assertThat(KeyedHasher.gatewayHash("hmac:" + hash)).isEqualTo(hash);
    assertThat(KeyedHasher.gatewayHash("hmac:0123456789abcdef0123456789abcdef")).isEqualTo("0123456789abcdef0123456789abcdef");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "0123456789abcdef0123456789abcdef", // the hash's form, unmarked: a PHP session id, a Datadog API key
      "hmac:0123456789ABCDEF0123456789ABCDEF", // upper case
      "hmac:0123456789abcdef0123456789abcde", // 31 digits
      "hmac:0123456789abcdef0123456789abcdef0", // 33 digits
      "hmac:alice@example.com-padded-to-32c", // not hex
      "hmac:0123456789abcdef0123456789abcdeg",
      "HMAC:0123456789abcdef0123456789abcdef",
      " hmac:0123456789abcdef0123456789abcdef",
      "hmac: 123456789abcdef0123456789abcdef",
      "hmac:",
      ""})
  void anythingElseIsNoGatewayHash(String value) {
    assertThat(KeyedHasher.gatewayHash(value)).isNull();
  }

  @Test
  void onlyAStringCanBeAGatewayHash() {
    assertThat(KeyedHasher.gatewayHash(null)).isNull();
    assertThat(KeyedHasher.gatewayHash(12345L)).isNull();
    assertThat(KeyedHasher.gatewayHash(java.util.List.of("hmac:0123456789abcdef0123456789abcdef"))).isNull();
  }

  @Test
  void toStringDoesNotRevealTheKey() {
    String text = new KeyedHasher(KEY).toString();
    assertThat(text).doesNotContain("test-key").doesNotContain(HexFormat.of().formatHex(KEY));
    assertThat(text).contains("redacted");
  }

  @Test
  void rejectsEmptyKey() {
    assertThatThrownBy(() -> new KeyedHasher(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void rejectsNullKey() {
    assertThatThrownBy(() -> new KeyedHasher(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
