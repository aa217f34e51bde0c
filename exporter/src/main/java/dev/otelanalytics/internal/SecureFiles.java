package dev.otelanalytics.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Creates state files readable only by their owner (0600, directories 0700) where the file
 * system has POSIX permissions; elsewhere the user's profile directory already is private.
 */
public final class SecureFiles {
  private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIR_PERMISSIONS = PosixFilePermissions.fromString("rwx------");

  private SecureFiles() {}

  /** Creates {@code dir} and missing parents; a directory created here is 0700. */
  public static void createDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      createDirectories(parent);
    }
    try {
      if (isPosix(parent)) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_PERMISSIONS));
      } else {
        Files.createDirectory(dir);
      }
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }

  /** Opens {@code file} for appending, creating it as 0600. */
  public static FileChannel openForAppend(Path file) throws IOException {
    Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    return FileChannel.open(file, options, fileAttributes(file));
  }

  /**
   * Writes {@code content} to {@code file} as 0600 unless the file already exists; returns
   * false (and writes nothing) when another process created it first. The file appears
   * complete or not at all.
   */
  public static boolean createExclusively(Path file, byte[] content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", fileAttributes(file));
    try {
      Files.write(temp, content);
      try {
        Files.createLink(file, temp);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } catch (UnsupportedOperationException | IOException linkNotSupported) {
        if (Files.exists(file)) {
          return false;
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        return true;
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Replaces {@code file} by a 0600 file holding {@code content}: written to a temporary file
   * beside it, then renamed over it, so that a reader (or a crash) sees the old content or the
   * new, never a mix.
   */
  public static void replace(Path file, byte[] content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", fileAttributes(file));
    try {
      Files.write(temp, content);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static FileAttribute<?>[] fileAttributes(Path file) {
    return isPosix(file.toAbsolutePath().getParent())
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS)}
        : new FileAttribute<?>[0];
  }

  private static boolean isPosix(Path path) {
    return path != null && path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
