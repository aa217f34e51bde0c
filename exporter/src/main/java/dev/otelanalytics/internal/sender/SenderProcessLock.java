package dev.otelanalytics.internal.sender;

import dev.otelanalytics.internal.SecureFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;

/**
 * The lock that keeps to one the sender processes of a state directory: held by the running
 * sender process for its whole life (the operating system releases it when that process ends,
 * however it ends).
 */
final class SenderProcessLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private SenderProcessLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock, or returns null when another process holds it.
   *
   * @throws IOException when the lock file cannot be opened (or is a link, or not the user's own)
   */
  static SenderProcessLock tryTake(Path lockFile) throws IOException {
    FileChannel channel = SecureFiles.openForAppend(lockFile);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      return null;
    }
    return new SenderProcessLock(channel, lock);
  }

  /** Whether a sender process holds the lock now (an unreadable lock file counts as held: nothing is started). */
  static boolean isHeld(Path lockFile) {
    try (SenderProcessLock taken = tryTake(lockFile)) {
      return taken == null;
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
