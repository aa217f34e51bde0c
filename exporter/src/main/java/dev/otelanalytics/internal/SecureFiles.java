package dev.otelanalytics.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Opens and creates state files so that another local user cannot steer them: files are created
 * exclusively and readable only by their owner (0600, directories 0700) where the file system
 * has POSIX permissions; no symbolic link at a file's or subdirectory's own name is followed; an
 * existing file or directory is used only when {@link FileTrust} accepts it. Elsewhere (Windows)
 * the user's profile directory already is private, and only the owner is checked.
 *
 * <p>The {@code Durably} writes also survive a power cut: the content is forced to the disk
 * before the file is renamed into place, and the directory is synced after, so that after a crash
 * the file holds the old content or the new, never nothing. Where the system cannot open a
 * directory (Windows), the directory is not synced: NTFS journals its own metadata.
 */
public final class SecureFiles {
  private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIR_PERMISSIONS = PosixFilePermissions.fromString("rwx------");

  private SecureFiles() {}

  /**
   * Creates {@code dir} and missing parents; a directory created here is 0700. An existing
   * {@code dir} must be a directory (not a link to one) that {@link FileTrust} accepts; its
   * parents are not checked.
   *
   * @throws UntrustedPathException when {@code dir} exists and is refused
   */
  public static void createDirectories(Path dir) throws IOException {
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      FileTrust.check(dir, FileTrust.Kind.DIRECTORY);
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      createParents(parent);
    }
    try {
      if (isPosix(parent)) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_PERMISSIONS));
      } else {
        Files.createDirectory(dir);
      }
    } catch (FileAlreadyExistsException e) {
      // Made meanwhile, by another thread or process: it must pass the same check.
      FileTrust.check(dir, FileTrust.Kind.DIRECTORY);
    }
  }

  /** The missing parents of a state directory: made 0700, existing ones (such as {@code /tmp}) left as they are. */
  private static void createParents(Path dir) throws IOException {
    Path parent = dir.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      createParents(parent);
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

  /**
   * Opens {@code file} for appending: a new file is created exclusively as 0600; an existing one
   * is opened without following a link and used only when {@link FileTrust} accepts it.
   *
   * @throws UntrustedPathException when the existing file is a link or is refused
   */
  public static FileChannel openForAppend(Path file) throws IOException {
    try {
      return FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.APPEND, StandardOpenOption.WRITE),
          fileAttributes(file));
    } catch (FileAlreadyExistsException exists) {
      // There already: append to it when it is ours (below).
    }
    Set<OpenOption> options = new HashSet<>(Arrays.<OpenOption>asList(
        StandardOpenOption.APPEND, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
    return checkedOpen(file, FileTrust.Kind.FILE, options);
  }

  /**
   * Reads the first {@code maxBytes} bytes of a state file (all of a smaller one), without
   * following a link, when {@link FileTrust} accepts it. A caller that must know whether there is
   * more asks for one byte more than it takes.
   *
   * @throws java.nio.file.NoSuchFileException when there is no such file
   * @throws UntrustedPathException when it is a link or is refused
   */
  public static byte[] readOwnFile(Path file, FileTrust.Kind kind, int maxBytes) throws IOException {
    Set<OpenOption> options = new HashSet<>(Arrays.<OpenOption>asList(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    try (FileChannel channel = checkedOpen(file, kind, options)) {
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(maxBytes, Math.max(0, channel.size()) + 1));
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        if (!buffer.hasRemaining() && buffer.capacity() < maxBytes) {
          // It grew since its size was read: read on, up to maxBytes.
          ByteBuffer larger = ByteBuffer.allocate((int) Math.min(maxBytes, buffer.capacity() * 2L));
          buffer.flip();
          larger.put(buffer);
          buffer = larger;
        }
      }
      return Arrays.copyOf(buffer.array(), buffer.position());
    }
  }

  /**
   * Opens an existing file with {@code options} (which hold {@code NOFOLLOW_LINKS}) and checks it.
   * The state directory is checked before its files are opened, so no other user can swap the
   * file between the opening and the check.
   */
  private static FileChannel checkedOpen(Path file, FileTrust.Kind kind, Set<OpenOption> options) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(file, options);
    } catch (FileSystemException e) {
      if (Files.isSymbolicLink(file)) {
        FileTrust.check(file, kind); // says it is a link
      }
      throw e;
    }
    try {
      FileTrust.check(file, kind);
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Writes {@code content} to {@code file} as 0600 unless the file already exists; returns
   * false (and writes nothing) when another process created it first. The file appears
   * complete or not at all.
   */
  public static boolean createExclusively(Path file, byte[] content) throws IOException {
    return create(file, content, false);
  }

  /**
   * As {@link #createExclusively}, and durably: the content is on the disk before the file
   * appears, and its directory entry after it (see the class comment).
   */
  public static boolean createDurably(Path file, byte[] content) throws IOException {
    return create(file, content, true);
  }

  private static boolean create(Path file, byte[] content, boolean durable) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path temp = writeTemp(file, content, durable);
    try {
      try {
        Files.createLink(file, temp);
      } catch (FileAlreadyExistsException e) {
        return false;
      } catch (UnsupportedOperationException | IOException linkNotSupported) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
          return false;
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      }
      if (durable) {
        syncDirectory(dir);
      }
      return true;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Replaces {@code file} by a 0600 file holding {@code content}: written to a temporary file
   * beside it, then renamed over it, so that a reader (or a crash) sees the old content or the
   * new, never a mix. A link at {@code file} is replaced, not followed.
   */
  public static void replace(Path file, byte[] content) throws IOException {
    replace(file, content, false);
  }

  /** As {@link #replace}, and durably: after a power cut the file holds the old content or the new (see the class comment). */
  public static void replaceDurably(Path file, byte[] content) throws IOException {
    replace(file, content, true);
  }

  private static void replace(Path file, byte[] content, boolean durable) throws IOException {
    Path temp = writeTemp(file, content, durable);
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      if (durable) {
        syncDirectory(file.toAbsolutePath().getParent());
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Syncs {@code dir}, so that the files created, renamed or deleted in it survive a power cut.
   * Does nothing where the system refuses to open a directory (Windows).
   *
   * @throws IOException when the directory was opened but could not be synced
   */
  public static void syncDirectory(Path dir) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(dir, StandardOpenOption.READ);
    } catch (IOException | UnsupportedOperationException refused) {
      return; // Windows: a directory cannot be opened as a file, and NTFS journals its metadata.
    }
    try (FileChannel c = channel) {
      c.force(true);
    }
  }

  /** A new 0600 file beside {@code file}, created exclusively, holding {@code content} (forced to the disk when {@code durable}). */
  private static Path writeTemp(Path file, byte[] content, boolean durable) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    // Unique enough to not collide; CREATE_NEW, not the name, is what keeps another user's file out.
    // (No SecureRandom: seeding one costs milliseconds at start, on the app's thread.)
    String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffffL);
    Path temp = dir.resolve("." + file.getFileName() + "." + id + ".tmp");
    try (FileChannel channel = FileChannel.open(temp,
        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), fileAttributes(file))) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      if (durable) {
        channel.force(true);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    return temp;
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
