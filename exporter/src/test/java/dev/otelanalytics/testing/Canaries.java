package dev.otelanalytics.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Personal values planted in telemetry that must never come out the other side. */
public final class Canaries {
  public static final String EMAIL = "alice.canary@example.com";
  public static final String UNIX_HOME = "/home/alice/projects/secret-app";
  public static final String WINDOWS_HOME = "C:\\Users\\bob\\Documents\\secret";
  public static final String IPV4 = "10.20.30.40";
  public static final String IPV6 = "2001:db8::4242";
  public static final String BEARER = "Bearer s3cr3tT0k3nValue12345";
  public static final String JWT =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsIm5hbWUiOiJBbGljZSJ9.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

  public static final List<String> ALL = List.of(EMAIL, UNIX_HOME, WINDOWS_HOME, IPV4, IPV6, BEARER, JWT);

  /** Fragments that would reveal a canary even if it were cut or re-encoded. */
  public static final List<String> FRAGMENTS =
      List.of("alice.canary", "example.com", "/home/alice", "Users\\bob", "Users\\\\bob", "Users/bob", "10.20.30.40",
          "2001:db8", "s3cr3tT0k3n", "eyJhbGciOi", "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV");

  private Canaries() {}

  /** Asserts that no canary fragment occurs in {@code text}. */
  public static void assertNoCanary(String text) {
    for (String fragment : FRAGMENTS) {
      assertThat(text).as("output must not contain canary fragment '%s'", fragment).doesNotContain(fragment);
    }
  }

  /** Asserts that no canary fragment occurs in any byte of any file under {@code dir}. */
  public static void assertNoCanaryUnder(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.filter(Files::isRegularFile).forEach(file -> {
        try {
          assertNoCanary(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
