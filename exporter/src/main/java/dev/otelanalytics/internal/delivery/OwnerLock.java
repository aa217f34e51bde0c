package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.internal.SecureFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * That an outbox owner (one open {@link Outbox}) is running: an operating-system lock on its
 * {@code owner-<id>.lock}, held from its start to its close. Whoever finds that lock free may take
 * the owner's batches over.
 *
 * <p>Such locks belong to the process, not to the channel: on POSIX, closing <em>any</em> channel
 * of a file in this JVM drops every lock the JVM holds on it. So a look at another owner's lock
 * file must never close a channel while another outbox of this JVM holds that lock, whatever its
 * class loader: the agent extension's copy of this library and the app's own copy each have their
 * own classes and statics, but share the process. The JDK's lock table is shared by the whole JVM
 * and throws {@link OverlappingFileLockException} when another channel of this JVM holds the lock:
 * then the channel used to look is kept open ("parked"), and used again for the next look at that
 * owner, until the lock is free.
 *
 * <p>A lock file found free is deleted while the lock is held, so that a new owner that created
 * its file at that moment cannot end up holding a lock on a file no one else can see: a new owner
 * checks, once it holds its lock, that its file is still there, and else starts over with a new id.
 */
final class OwnerLock implements AutoCloseable {
  private static final Pattern FILE = Pattern.compile("owner-([0-9a-f]{16})\\.lock");
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Tries at a new owner id when a look at the new file took its lock first (each take a moment at most). */
  private static final int ATTEMPTS = 5;
  /**
   * Channels on lock files that another outbox of this JVM held when they were opened to look:
   * closed only once their lock is seen free. Guarded by itself; every look at a lock file holds it.
   */
  private static final Map<Path, FileChannel> PARKED = new HashMap<>();

  private final String id;
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private OwnerLock(String id, Path file, FileChannel channel, FileLock lock) {
    this.id = id;
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /** Creates and locks the lock file of a new owner with a random id in {@code directory}. */
  static OwnerLock acquire(Path directory) throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      String id = randomId();
      Path file = directory.resolve(fileName(id));
      FileChannel channel = SecureFiles.openForAppend(file);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;   // an outbox of this JVM is looking at it, and deletes it
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      if (lock != null && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        return new OwnerLock(id, file, channel, lock);
      }
      // A look at the new file found it free and deleted it: its id is spent.
      if (lock != null) {
        lock.release();
      }
      channel.close();
    }
    throw new IOException("could not lock a new owner file in the outbox");
  }

  String id() {
    return id;
  }

  /** Deletes the lock file, then releases the lock: the owner has ended. */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // Found free by the next look, and deleted then.
    }
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // The lock goes with the process anyway.
    }
  }

  static String fileName(String owner) {
    return "owner-" + owner + ".lock";
  }

  /** The owner ids of the lock files in {@code directory}. */
  static List<String> owners(Path directory) throws IOException {
    List<String> owners = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "owner-*")) {
      for (Path file : stream) {
        Matcher m = FILE.matcher(file.getFileName().toString());
        if (m.matches()) {
          owners.add(m.group(1));
        }
      }
    } catch (NoSuchFileException e) {
      return owners;
    }
    return owners;
  }

  /**
   * Whether owner {@code owner} of {@code directory} is running (its lock is held, by this process
   * or another). The lock file of an owner found not running is deleted. When in doubt, running.
   */
  static boolean isAlive(Path directory, String owner) {
    Path file = directory.resolve(fileName(owner));
    synchronized (PARKED) {
      FileChannel parked = PARKED.get(file);
      if (parked != null) {
        return lookAgain(file, parked);
      }
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        // Absent, or something no owner locks (opening a FIFO would hang): its owner is gone.
        return false;
      }
      FileChannel channel;
      try {
        channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        return false;
      } catch (IOException e) {
        return true;
      }
      return look(file, channel);
    }
  }

  /**
   * Looks again at the parked channels on lock files of {@code directory} that are gone (their
   * owner closed): each is closed once its lock is seen free, so that none is kept for an owner
   * that will never be looked at again.
   */
  static void lookAgainAtGone(Path directory) {
    synchronized (PARKED) {
      for (Map.Entry<Path, FileChannel> parked : new ArrayList<>(PARKED.entrySet())) {
        Path file = parked.getKey();
        if (directory.equals(file.getParent()) && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
          lookAgain(file, parked.getValue());
        }
      }
    }
  }

  /** How many channels are parked: for tests. */
  static int parked() {
    synchronized (PARKED) {
      return PARKED.size();
    }
  }

  /** Looks at the lock through a fresh channel; closes it only when no outbox of this JVM holds the lock. */
  private static boolean look(Path file, FileChannel channel) {
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      // Held by another outbox of this JVM: closing this channel would drop its lock.
      PARKED.put(file, channel);
      return true;
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      return true;
    }
    if (lock == null) {
      closeQuietly(channel);   // held by another process; this JVM holds no lock on it to drop
      return true;
    }
    deleteHolding(file, lock, channel);
    return false;
  }

  /** Looks at the lock again through the channel parked for it. */
  private static boolean lookAgain(Path file, FileChannel parked) {
    FileLock lock;
    try {
      lock = parked.tryLock();
    } catch (OverlappingFileLockException e) {
      return true;   // still held in this JVM
    } catch (IOException | RuntimeException e) {
      return true;
    }
    if (lock == null) {
      return true;
    }
    PARKED.remove(file);
    deleteHolding(file, lock, parked);
    return false;
  }

  /** The owner has ended: deletes its lock file while holding its lock, then lets go. */
  private static void deleteHolding(Path file, FileLock lock, FileChannel channel) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // Found free again by the next look.
    }
    try {
      lock.release();
    } catch (IOException e) {
      // Closing the channel releases it.
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing held through it.
    }
  }

  private static String randomId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    StringBuilder id = new StringBuilder();
    for (byte b : bytes) {
      id.append(String.format(Locale.ROOT, "%02x", b & 0xff));
    }
    return id.toString();
  }
}
