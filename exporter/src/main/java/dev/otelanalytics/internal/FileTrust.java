package dev.otelanalytics.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * Decides whether a state directory, or a file in it, may be used, as ssh's {@code StrictModes}
 * decides for {@code ~/.ssh}: it must be what it should be (a directory, or a regular file; never
 * a symbolic link, which is not followed), owned by the user running this process (or by root,
 * who can read everything anyway), and not writable by group or others. The hash key must not be
 * readable by them either, as ssh refuses a private key that others can read.
 *
 * <p>Where the file system has no POSIX permissions (Windows), only the owner is checked: it must
 * be this user, or a group (an elevated process's files belong to {@code Administrators}, the
 * system's to {@code SYSTEM}; only an administrator can give a file to a group), as the Windows
 * port of OpenSSH accepts. Access control lists are not read there. Where the file system has no
 * owners at all (FAT), nothing but the kind of file is checked.
 */
public final class FileTrust {
  /** What a path must be. */
  public enum Kind {
    /** A directory: the state directory or one of its subdirectories. */
    DIRECTORY,
    /** A file that others must not change. */
    FILE,
    /** A file that others must not read either: the hash key. */
    SECRET
  }

  private FileTrust() {}

  /**
   * Checks {@code path} without following a link at its end.
   *
   * @throws java.nio.file.NoSuchFileException when there is nothing at {@code path}
   * @throws UntrustedPathException when it is refused; the message says why and how to fix it
   * @throws IOException when its attributes cannot be read
   */
  public static void check(Path path, Kind kind) throws IOException {
    String problem = problem(path, kind);
    if (problem != null) {
      throw new UntrustedPathException(problem);
    }
  }

  /**
   * What is wrong with {@code path}, as one line naming it and the fix, or null when it may be
   * used. Follows no link at its end.
   *
   * @throws java.nio.file.NoSuchFileException when there is nothing at {@code path}
   */
  public static String problem(Path path, Kind kind) throws IOException {
    boolean posix = path.getFileSystem().supportedFileAttributeViews().contains("posix");
    BasicFileAttributes attributes;
    UserPrincipal owner;
    Set<PosixFilePermission> permissions = null;
    if (posix) {
      PosixFileAttributes p = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      attributes = p;
      owner = p.owner();
      permissions = p.permissions();
    } else {
      attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      FileOwnerAttributeView view = Files.getFileAttributeView(path, FileOwnerAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      owner = view == null ? null : view.getOwner();
    }
    UserPrincipal me = null;
    if (owner != null) {
      try {
        me = CurrentUser.get();
      } catch (IOException e) {
        // Its message is this project's own words.
        return (kind == Kind.DIRECTORY ? "the state directory " : "the state file ") + LogText.path(path)
            + " cannot be checked: " + e.getMessage();
      }
    }
    return judge(path, kind, attributes, owner, me, CurrentUser.superuser(), permissions);
  }

  /**
   * The decision itself, apart from the file system (for tests).
   *
   * @param owner the path's owner; null where the file system has none
   * @param permissions its POSIX permissions; null where the file system has none
   */
  static String judge(Path path, Kind kind, BasicFileAttributes attributes, UserPrincipal owner, UserPrincipal me,
      UserPrincipal superuser, Set<PosixFilePermission> permissions) {
    String shown = LogText.path(path);
    boolean directory = kind == Kind.DIRECTORY;
    String what = directory ? "the state directory " : "the state file ";
    if (attributes.isSymbolicLink()) {
      return what + shown + " is a symbolic link, which otel-analytics never follows inside its state directory;"
          + " remove it if you did not create it" + (directory ? ", or set OTEL_ANALYTICS_STATE_DIR to a directory of your own" : "");
    }
    if (directory ? !attributes.isDirectory() : !attributes.isRegularFile()) {
      return what + shown + " is not a " + (directory ? "directory" : "regular file") + "; remove it"
          + (directory ? ", or set OTEL_ANALYTICS_STATE_DIR to a directory of your own" : "");
    }
    if (owner != null && !ownedByUs(owner, me, superuser, permissions != null)) {
      return what + shown + " is not owned by the user running this process; "
          + (directory ? "set OTEL_ANALYTICS_STATE_DIR to a directory of your own" : "another user put it there: remove it");
    }
    if (permissions != null) {
      boolean secret = kind == Kind.SECRET;
      boolean open = permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)
          || (secret && (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)
              || permissions.contains(PosixFilePermission.GROUP_EXECUTE) || permissions.contains(PosixFilePermission.OTHERS_EXECUTE)));
      if (open) {
        String mode = " (mode " + octal(permissions) + ")";
        if (directory) {
          return what + shown + " is writable by group or others" + mode + "; run chmod 700 " + shown
              + ", or set OTEL_ANALYTICS_STATE_DIR to a directory of your own";
        }
        if (secret) {
          return what + shown + " is open to group or others" + mode + "; if nobody else could have read it, run chmod 600 "
              + shown + ", else the app's telemetry clear makes a new key";
        }
        return what + shown + " is writable by group or others" + mode + "; run chmod 600 " + shown;
      }
    }
    return null;
  }

  private static boolean ownedByUs(UserPrincipal owner, UserPrincipal me, UserPrincipal superuser, boolean posix) {
    if (owner.equals(me) || owner.equals(superuser)) {
      return true;
    }
    // Windows: a group owns what an elevated process or the system creates.
    return !posix && owner instanceof GroupPrincipal;
  }

  /** {@code rwxr-x---} → {@code 0750}. */
  static String octal(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (PosixFilePermission p : permissions) {
      mode |= 1 << (8 - p.ordinal());
    }
    return String.format("0%03o", mode);
  }
}
