package dev.otelanalytics.internal.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.otelanalytics.testing.LogCapture;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * InstallIdentity logs through a ThrottledLogger that lets through 5 messages a minute for the
 * whole class (a static logger), so the test that counts warnings runs first and this class
 * keeps the number of warnings it causes below that limit.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstallIdentityTest {
  private static final String UUID_TEXT = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  private static final String KEY_TEXT = "[0-9a-f]{64}";
  private static final byte[] CONFIGURED_KEY = "configured-shared-key-0123456789".getBytes(StandardCharsets.UTF_8);

  @TempDir Path temp;

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static String perms(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /** HMAC-SHA256 truncated to 16 bytes, hex: computed here independently of KeyedHasher. */
  private static String hmac(byte[] key, String value) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, 16);
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  @Order(1)
  void unusableStateDirectoryGivesAOneRunIdentityAndOneWarning() throws IOException {
    Path aFile = Files.writeString(temp.resolve("not-a-directory"), "x");
    Path stateDir = aFile.resolve("state");

    InstallIdentity identity;
    List<String> warnings;
    try (LogCapture logs = new LogCapture()) {
      identity = InstallIdentity.load(StateDirectory.at(stateDir), null);
      warnings = logs.messages(Level.WARNING);
    }

    assertThat(identity.persisted()).isFalse();
    assertThat(identity.installId()).matches(UUID_TEXT);
    assertThat(identity.hasher().hash("x")).matches("[0-9a-f]{32}");
    assertThat(identity.hasher().hash("x")).isEqualTo(identity.hasher().hash("x"));
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains("OTEL_ANALYTICS_STATE_DIR");
    assertThat(read(aFile)).as("the file in the way is left alone").isEqualTo("x");
  }

  @Test
  @Order(2)
  void unusableStateDirectoryStillUsesAConfiguredKey() throws Exception {
    Path stateDir = Files.writeString(temp.resolve("file"), "x").resolve("state");

    InstallIdentity identity = InstallIdentity.load(StateDirectory.at(stateDir), CONFIGURED_KEY);

    assertThat(identity.persisted()).isFalse();
    assertThat(identity.hasher().hash("user-42")).isEqualTo(hmac(CONFIGURED_KEY, "user-42"));
  }

  @Test
  void createsAnInstallIdAndAHashKey() throws IOException {
    Path stateDir = temp.resolve("state");

    InstallIdentity identity = InstallIdentity.load(StateDirectory.at(stateDir), null);

    assertThat(identity.persisted()).isTrue();
    assertThat(identity.installId()).matches(UUID_TEXT);
    assertThat(read(stateDir.resolve(StateDirectory.INSTALL_ID_FILE)).trim()).isEqualTo(identity.installId());
    assertThat(read(stateDir.resolve(StateDirectory.HASH_KEY_FILE)).trim()).matches(KEY_TEXT);
    assertThat(fileNames(stateDir)).as("no temporary files left behind")
        .containsExactly(StateDirectory.DEPLOYMENT_ID_FILE, StateDirectory.HASH_KEY_FILE, StateDirectory.INSTALL_ID_FILE);
    assertThat(identity.deploymentId()).matches(UUID_TEXT).isNotEqualTo(identity.installId());
  }

  @Test
  void theHashKeyFileIsTheKeyOfTheHasher() throws Exception {
    Path stateDir = temp.resolve("state");

    InstallIdentity identity = InstallIdentity.load(StateDirectory.at(stateDir), null);

    byte[] stored = HexFormat.of().parseHex(read(stateDir.resolve(StateDirectory.HASH_KEY_FILE)).trim());
    assertThat(stored).hasSize(InstallIdentity.KEY_BYTES);
    assertThat(identity.hasher().hash("x")).isEqualTo(hmac(stored, "x"));
  }

  @Test
  void filesAre0600AndCreatedDirectoriesAre0700() throws IOException {
    assumeTrue(posix(temp), "POSIX file system");
    Path stateDir = temp.resolve("a").resolve("b").resolve("state");

    InstallIdentity.load(StateDirectory.at(stateDir), null);

    assertThat(perms(stateDir.resolve(StateDirectory.INSTALL_ID_FILE))).isEqualTo("rw-------");
    assertThat(perms(stateDir.resolve(StateDirectory.HASH_KEY_FILE))).isEqualTo("rw-------");
    assertThat(perms(stateDir)).isEqualTo("rwx------");
    assertThat(perms(temp.resolve("a"))).as("missing parents too").isEqualTo("rwx------");
    assertThat(perms(temp.resolve("a").resolve("b"))).isEqualTo("rwx------");
  }

  @Test
  void anExistingDirectoryOthersCannotWriteToKeepsItsPermissions() throws IOException {
    assumeTrue(posix(temp), "POSIX file system");
    Path stateDir = Files.createDirectory(temp.resolve("existing"));
    Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwxr-x---"));

    assertThat(InstallIdentity.load(StateDirectory.at(stateDir), null).persisted()).isTrue();

    assertThat(perms(stateDir)).isEqualTo("rwxr-x---");
    assertThat(perms(stateDir.resolve(StateDirectory.INSTALL_ID_FILE))).isEqualTo("rw-------");
  }

  /** Issue 17, fault 1: this test used to assert that a directory others can write to is used as it is. */
  @Test
  void anExistingDirectoryOthersCanWriteToIsRefusedAndLeftAsItIs() throws IOException {
    assumeTrue(posix(temp), "POSIX file system");
    Path stateDir = Files.createDirectory(temp.resolve("existing"));
    Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwxrwx---"));

    InstallIdentity identity = InstallIdentity.load(StateDirectory.at(stateDir), null);

    assertThat(identity.persisted()).isFalse();
    assertThat(perms(stateDir)).isEqualTo("rwxrwx---");
    assertThat(fileNames(stateDir)).isEmpty();
  }

  @Test
  void loadingTwiceGivesTheSameIdentity() {
    Path stateDir = temp.resolve("state");

    InstallIdentity first = InstallIdentity.load(StateDirectory.at(stateDir), null);
    InstallIdentity second = InstallIdentity.load(StateDirectory.at(stateDir), null);

    assertThat(second.installId()).isEqualTo(first.installId());
    assertThat(second.hasher().hash("x")).isEqualTo(first.hasher().hash("x"));
    assertThat(second.hasher().hash("enduser-17")).isEqualTo(first.hasher().hash("enduser-17"));
  }

  @Test
  void aConfiguredKeyIsUsedAndNoHashKeyFileIsWritten() throws Exception {
    Path stateDir = temp.resolve("state");

    InstallIdentity identity = InstallIdentity.load(StateDirectory.at(stateDir), CONFIGURED_KEY);

    assertThat(identity.persisted()).isTrue();
    assertThat(identity.hasher().hash("x")).isEqualTo(hmac(CONFIGURED_KEY, "x"));
    assertThat(identity.hasher().hash("user@example.org")).isEqualTo(hmac(CONFIGURED_KEY, "user@example.org"));
    assertThat(stateDir.resolve(StateDirectory.HASH_KEY_FILE)).doesNotExist();
    assertThat(stateDir.resolve(StateDirectory.INSTALL_ID_FILE)).exists();
  }

  @Test
  void aConfiguredKeyWinsOverAStoredOne() throws Exception {
    Path stateDir = temp.resolve("state");
    InstallIdentity stored = InstallIdentity.load(StateDirectory.at(stateDir), null);

    InstallIdentity configured = InstallIdentity.load(StateDirectory.at(stateDir), CONFIGURED_KEY);

    assertThat(configured.installId()).isEqualTo(stored.installId());
    assertThat(configured.hasher().hash("x")).isEqualTo(hmac(CONFIGURED_KEY, "x")).isNotEqualTo(stored.hasher().hash("x"));
  }

  @Test
  void theSameConfiguredKeyGivesTheSameHashesOnEveryInstall() {
    InstallIdentity a = InstallIdentity.load(StateDirectory.at(temp.resolve("a")), CONFIGURED_KEY);
    InstallIdentity b = InstallIdentity.load(StateDirectory.at(temp.resolve("b")), CONFIGURED_KEY);

    assertThat(a.installId()).isNotEqualTo(b.installId());
    assertThat(a.hasher().hash("x")).isEqualTo(b.hasher().hash("x"));
  }

  /** Issue 17, fault 2: these tests used to assert that a damaged file is silently replaced. */
  @Test
  void aCorruptInstallIdIsKeptAndTheRunUsesAOneRunIdentity() throws IOException {
    Path stateDir = Files.createDirectory(temp.resolve("state"));
    Path idFile = stateDir.resolve(StateDirectory.INSTALL_ID_FILE);
    Files.writeString(idFile, "not-a-uuid\n");

    InstallIdentity identity = InstallIdentity.load(StateDirectory.at(stateDir), null);

    assertThat(identity.persisted()).isFalse();
    assertThat(identity.installId()).matches(UUID_TEXT);
    assertThat(read(idFile)).isEqualTo("not-a-uuid\n");
  }

  @Test
  void aCorruptHashKeyThatOthersCanReadIsKeptAsItIs() throws IOException {
    assumeTrue(posix(temp), "POSIX file system");
    Path stateDir = Files.createDirectory(temp.resolve("state"));
    Path keyFile = stateDir.resolve(StateDirectory.HASH_KEY_FILE);
    Files.writeString(keyFile, "zz-too-short");
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));

    InstallIdentity identity = InstallIdentity.load(StateDirectory.at(stateDir), null);

    assertThat(identity.persisted()).isFalse();
    assertThat(read(keyFile)).isEqualTo("zz-too-short");
    assertThat(perms(keyFile)).isEqualTo("rw-r--r--");
  }

  @Test
  void validFilesWithSurroundingWhitespaceAreKept() throws IOException {
    Path stateDir = Files.createDirectory(temp.resolve("state"));
    String id = "0b7a3c1e-5d2f-4a6b-8c9d-0e1f2a3b4c5d";
    String key = "ab".repeat(32);
    Files.writeString(stateDir.resolve(StateDirectory.INSTALL_ID_FILE), "  " + id + "\r\n");
    Path keyFile = Files.writeString(stateDir.resolve(StateDirectory.HASH_KEY_FILE), key + "\n\n");
    if (posix(keyFile)) {
      Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------")); // as this code writes it
    }

    InstallIdentity identity = InstallIdentity.load(StateDirectory.at(stateDir), null);

    assertThat(identity.installId()).isEqualTo(id);
    assertThat(read(stateDir.resolve(StateDirectory.HASH_KEY_FILE))).isEqualTo(key + "\n\n");
  }

  @Test
  void toStringNeverContainsKeyMaterial() throws IOException {
    Path stateDir = temp.resolve("state");
    InstallIdentity stored = InstallIdentity.load(StateDirectory.at(stateDir), null);
    String storedKeyHex = read(stateDir.resolve(StateDirectory.HASH_KEY_FILE)).trim();
    InstallIdentity configured = InstallIdentity.load(StateDirectory.at(temp.resolve("other")), CONFIGURED_KEY);
    InstallIdentity ephemeral = InstallIdentity.ephemeral(CONFIGURED_KEY);

    for (InstallIdentity identity : List.of(stored, configured, ephemeral)) {
      for (String text : List.of(identity.toString(), identity.hasher().toString())) {
        assertThat(text)
            .doesNotContain(storedKeyHex)
            .doesNotContain(storedKeyHex.substring(0, 16))
            .doesNotContain(new String(CONFIGURED_KEY, StandardCharsets.UTF_8))
            .doesNotContain(HexFormat.of().formatHex(CONFIGURED_KEY))
            .contains("redacted");
      }
    }
  }

  @Test
  void theInstallIdIsRandomNotDerivedFromTheHostOrUser() throws IOException {
    InstallIdentity a = InstallIdentity.load(StateDirectory.at(temp.resolve("a")), null);
    InstallIdentity b = InstallIdentity.load(StateDirectory.at(temp.resolve("b")), null);

    assertThat(a.installId()).isNotEqualTo(b.installId());
    assertThat(a.hasher().hash("x")).as("keys are random too").isNotEqualTo(b.hasher().hash("x"));
    String user = System.getProperty("user.name");
    String host = InetAddress.getLocalHost().getHostName();
    for (InstallIdentity identity : List.of(a, b)) {
      // A very short (or hex-looking) name could turn up in a random UUID by chance: only check
      // names long enough for a hit to mean something.
      for (String name : List.of(user, host)) {
        if (name.length() >= 6) {
          assertThat(identity.installId().toLowerCase()).doesNotContain(name.toLowerCase());
        }
      }
    }
  }

  @Test
  void ephemeralIdentitiesAreNotPersistedAndWriteNothing() throws IOException {
    InstallIdentity one = InstallIdentity.ephemeral(null);
    InstallIdentity two = InstallIdentity.ephemeral(null);

    assertThat(one.persisted()).isFalse();
    assertThat(one.installId()).matches(UUID_TEXT).isNotEqualTo(two.installId());
    assertThat(one.hasher().hash("x")).isNotEqualTo(two.hasher().hash("x"));
    assertThat(fileNames(temp)).isEmpty();
  }
}
