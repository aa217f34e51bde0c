package dev.otelanalytics.internal.destination;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/**
 * The file an export writes, which holds the install id: always a new file, never a link followed
 * or a file replaced (an existing name, a dangling link included, is refused), readable by its
 * owner only (0600 where the file system has POSIX permissions; on Windows it gets the access list
 * its folder gives new files), and never inside the state directory, where it could become part
 * of the history it is read from, or a batch that is sent.
 */
final class ExportTarget {
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));

  private ExportTarget() {}

  /**
   * Creates {@code file} for writing.
   *
   * @param stateDirectory the state directory, which must not contain {@code file}
   * @throws FileAlreadyExistsException when something already has that name (a link included)
   * @throws IllegalArgumentException when {@code file} is inside {@code stateDirectory} (compared by real paths)
   * @throws IOException when it cannot be created
   */
  static OutputStream create(Path file, Path stateDirectory) throws IOException {
    if (Files.isSymbolicLink(file)) {
      throw new FileAlreadyExistsException(file.toString(), null, "it is a symbolic link; export never follows one");
    }
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(file.toString(), null, "it already exists; export never replaces a file");
    }
    if (isInside(file, stateDirectory)) {
      throw new IllegalArgumentException(file + " is inside the state directory " + stateDirectory
          + ", where an export could become part of what it reads or sends; choose a file elsewhere");
    }
    Set<OpenOption> options =
        new HashSet<>(Arrays.<OpenOption>asList(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    try {
      return Channels.newOutputStream(posix ? Files.newByteChannel(file, options, OWNER_ONLY) : Files.newByteChannel(file, options));
    } catch (FileAlreadyExistsException e) {
      // Made meanwhile: still never replaced.
      throw new FileAlreadyExistsException(file.toString(), null, "it already exists; export never replaces a file");
    }
  }

  /** Whether the folder {@code file} would be created in is {@code directory} or below it, links resolved. */
  private static boolean isInside(Path file, Path directory) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent) || !Files.isDirectory(directory)) {
      return false;
    }
    return parent.toRealPath().startsWith(directory.toRealPath());
  }
}
