package dev.otelanalytics.internal;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;

/**
 * The user this process runs as, in the form the file system names a file's owner: the owner
 * that the state directory and its files must have.
 *
 * <p>On Linux it is the owner of {@code /proc/self} (the process's effective user, as proc(5)
 * says), which works for a container user that has no passwd entry; elsewhere the principal of
 * {@code user.name}. Java offers no portable "current uid" without a JDK-internal class, hence
 * these two sources. Found once per JVM.
 */
public final class CurrentUser {
  private static final Object LOCK = new Object();
  private static UserPrincipal current;
  private static UserPrincipal root;

  private CurrentUser() {}

  /**
   * The principal of the user running this process, on the default file system.
   *
   * @throws IOException when it cannot be told (no {@code /proc/self} and an unknown {@code user.name})
   */
  public static UserPrincipal get() throws IOException {
    synchronized (LOCK) {
      if (current == null) {
        FileSystem fs = FileSystems.getDefault();
        current = find(fs, fs.getPath("/proc/self"), System.getProperty("user.name", ""));
      }
      return current;
    }
  }

  /** The POSIX superuser (uid 0), or null where there is none (Windows) or it cannot be looked up. */
  public static UserPrincipal superuser() {
    synchronized (LOCK) {
      if (root == null) {
        try {
          root = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
              ? FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("0") : null;
        } catch (IOException | RuntimeException e) {
          root = null;
        }
      }
      return root;
    }
  }

  /** The owner of {@code self} (this process's {@code /proc} entry), else the principal named {@code userName}. */
  static UserPrincipal find(FileSystem fs, Path self, String userName) throws IOException {
    if (fs.supportedFileAttributeViews().contains("posix") && Files.isDirectory(self)) {
      try {
        return Files.getOwner(self);
      } catch (IOException | RuntimeException e) {
        // Fall through to the user name.
      }
    }
    UserPrincipalLookupService lookup = fs.getUserPrincipalLookupService();
    try {
      return lookup.lookupPrincipalByName(userName);
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot tell which user runs this process (no /proc/self, and user.name is not a known"
          + " user), so nobody else's files could be told from its own");
    }
  }
}
