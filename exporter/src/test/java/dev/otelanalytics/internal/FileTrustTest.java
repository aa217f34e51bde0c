package dev.otelanalytics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The decision of {@link FileTrust}, apart from the file system: the POSIX rules and the Windows (owner only) rules. */
class FileTrustTest {
  private static final Path PATH = Paths.get("/srv/state/hash-key");

  private record User(String getName) implements UserPrincipal {}

  private record Group(String getName) implements GroupPrincipal {}

  private static final UserPrincipal ME = new User("me");
  private static final UserPrincipal ROOT = new User("root");
  private static final UserPrincipal OTHER = new User("other");

  private record Attributes(boolean isDirectory, boolean isRegularFile, boolean isSymbolicLink) implements BasicFileAttributes {
    static Attributes file() {
      return new Attributes(false, true, false);
    }

    static Attributes directory() {
      return new Attributes(true, false, false);
    }

    static Attributes link() {
      return new Attributes(false, false, true);
    }

    @Override
    public FileTime lastModifiedTime() {
      return FileTime.fromMillis(0);
    }

    @Override
    public FileTime lastAccessTime() {
      return FileTime.fromMillis(0);
    }

    @Override
    public FileTime creationTime() {
      return FileTime.fromMillis(0);
    }

    @Override
    public boolean isOther() {
      return false;
    }

    @Override
    public long size() {
      return 0;
    }

    @Override
    public Object fileKey() {
      return null;
    }
  }

  private static String posix(FileTrust.Kind kind, BasicFileAttributes attributes, UserPrincipal owner, String mode) {
    return FileTrust.judge(PATH, kind, attributes, owner, ME, ROOT, PosixFilePermissions.fromString(mode));
  }

  @ParameterizedTest(name = "{0} {1}: {2}")
  @CsvSource(delimiter = '|', value = {
    "DIRECTORY | rwx------ | ok",
    "DIRECTORY | rwxr-xr-x | ok",
    "DIRECTORY | rwxrwx--- | writable by group or others (mode 0770); run chmod 700",
    "DIRECTORY | rwxrwxrwx | writable by group or others (mode 0777)",
    "DIRECTORY | rwx----w- | (mode 0702)",
    "FILE      | rw-r--r-- | ok",
    "FILE      | rw-rw-r-- | writable by group or others (mode 0664); run chmod 600",
    "SECRET    | rw------- | ok",
    "SECRET    | rw-r----- | open to group or others (mode 0640)",
    "SECRET    | rw----r-- | open to group or others (mode 0604)",
  })
  void posixModes(FileTrust.Kind kind, String mode, String expected) {
    String problem = posix(kind, kind == FileTrust.Kind.DIRECTORY ? Attributes.directory() : Attributes.file(), ME, mode);
    if (expected.equals("ok")) {
      assertThat(problem).isNull();
    } else {
      assertThat(problem).contains(expected).contains(LogText.path(PATH)).doesNotContain("\n");
    }
  }

  @Test
  void posixOwners() {
    assertThat(posix(FileTrust.Kind.FILE, Attributes.file(), ROOT, "rw-------")).as("root, as ssh accepts").isNull();
    assertThat(posix(FileTrust.Kind.FILE, Attributes.file(), OTHER, "rw-------")).contains("not owned by the user");
    assertThat(posix(FileTrust.Kind.DIRECTORY, Attributes.directory(), OTHER, "rwx------"))
        .contains("not owned by the user").contains("OTEL_ANALYTICS_STATE_DIR").doesNotContain("other");
    assertThat(posix(FileTrust.Kind.DIRECTORY, Attributes.directory(), new Group("staff"), "rwx------"))
        .as("a group is no owner on POSIX").contains("not owned by the user");
  }

  @Test
  void linksAndWrongKindsAreRefusedWhatever() {
    assertThat(posix(FileTrust.Kind.FILE, Attributes.link(), ME, "rwxrwxrwx")).contains("symbolic link");
    assertThat(posix(FileTrust.Kind.DIRECTORY, Attributes.file(), ME, "rw-------")).contains("is not a directory");
    assertThat(posix(FileTrust.Kind.SECRET, Attributes.directory(), ME, "rwx------")).contains("is not a regular file");
  }

  @Test
  void windowsChecksTheOwnerOnlyAndAcceptsAGroupAsOpenSshForWindowsDoes() {
    assertThat(FileTrust.judge(PATH, FileTrust.Kind.SECRET, Attributes.file(), ME, ME, null, null)).isNull();
    assertThat(FileTrust.judge(PATH, FileTrust.Kind.SECRET, Attributes.file(), new Group("BUILTIN\\Administrators"), ME, null, null))
        .isNull();
    assertThat(FileTrust.judge(PATH, FileTrust.Kind.SECRET, Attributes.file(), OTHER, ME, null, null)).contains("not owned by");
    assertThat(FileTrust.judge(PATH, FileTrust.Kind.FILE, Attributes.link(), ME, ME, null, null)).contains("symbolic link");
  }

  @Test
  void aFileSystemWithoutOwnersChecksOnlyTheKind() {
    assertThat(FileTrust.judge(PATH, FileTrust.Kind.SECRET, Attributes.file(), null, null, null, null)).isNull();
    assertThat(FileTrust.judge(PATH, FileTrust.Kind.SECRET, Attributes.link(), null, null, null, null)).contains("symbolic link");
  }

  @Test
  void modesAreShownInOctal() {
    assertThat(FileTrust.octal(PosixFilePermissions.fromString("rwxr-x--x"))).isEqualTo("0751");
    assertThat(FileTrust.octal(PosixFilePermissions.fromString("---------"))).isEqualTo("0000");
  }
}
