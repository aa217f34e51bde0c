package dev.otelanalytics;

import dev.otelanalytics.internal.delivery.Outbox;
import dev.otelanalytics.internal.destination.LocalStore;
import dev.otelanalytics.internal.metrics.UsageReporter;
import dev.otelanalytics.internal.state.StateDirectory;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The deleting half of {@code clear}: every file of the local history, every waiting batch, the
 * open usage-report window and the stored ids and key, each on its own, so that one file that
 * cannot be read or deleted never keeps the others. What the files hold does not matter: a
 * damaged history is deleted like any other. What could not be deleted is named with the reason.
 */
final class StateClearing {
  private final StateDirectory state;
  private final List<String> notDeleted = new ArrayList<>();
  private long events;
  private long unreadableLines;
  private int batches;

  private StateClearing(StateDirectory state) {
    this.state = state;
  }

  /** Deletes everything {@code clear} deletes in {@code state}; never throws for a file it cannot delete. */
  static ClearResult clear(StateDirectory state) {
    StateClearing clearing = new StateClearing(state);
    clearing.history();
    clearing.outbox();
    // With nothing left to send, why the last sender process stopped is no longer news.
    clearing.file(state.senderStoppedFile());
    clearing.usageWindow();
    clearing.file(state.installIdFile());
    clearing.file(state.deploymentIdFile());
    clearing.file(state.hashKeyFile());
    return new ClearResult(clearing.events, clearing.unreadableLines, clearing.batches, clearing.notDeleted);
  }

  private void history() {
    LocalStore store = new LocalStore(state.eventsDirectory());
    List<Path> entries;
    try {
      entries = store.entries();
    } catch (IOException | RuntimeException e) {
      failed(store.directory(), e);
      return;
    }
    for (Path entry : entries) {
      long[] counted = {0};
      long unreadable = 0;
      if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
        try {
          unreadable = LocalStore.read(entry, event -> counted[0]++);
        } catch (IOException | RuntimeException e) {
          // Not readable: it is deleted all the same, its events uncounted.
        }
      }
      if (file(entry)) {
        events += counted[0];
        unreadableLines += unreadable;
      }
    }
  }

  private void outbox() {
    List<Path> files;
    try {
      files = Outbox.batchFiles(state.outboxDirectory());
    } catch (IOException | RuntimeException e) {
      failed(state.outboxDirectory(), e);
      return;
    }
    for (Path batch : files) {
      if (file(batch)) {
        batches++;
      }
    }
    // Files the sender set aside as unreadable may hold events too: they go with the rest.
    try (java.nio.file.DirectoryStream<Path> setAside =
        Files.newDirectoryStream(state.outboxDirectory(), Outbox.SET_ASIDE_PREFIX + "*")) {
      for (Path entry : setAside) {
        if (file(entry)) {
          batches++;
        }
      }
    } catch (java.nio.file.NoSuchFileException gone) {
      // no outbox: nothing set aside
    } catch (IOException | RuntimeException e) {
      failed(state.outboxDirectory(), e);
    }
  }

  private void usageWindow() {
    try {
      UsageReporter.deleteWindow(state);
    } catch (IOException | RuntimeException e) {
      failed(e instanceof FileSystemException && ((FileSystemException) e).getFile() != null
          ? state.root().resolve(((FileSystemException) e).getFile()) : state.usageWindowFile(), e);
    }
  }

  /** Deletes {@code file} (a link itself, never what it points to); false when it was not there or could not be deleted. */
  private boolean file(Path file) {
    try {
      return Files.deleteIfExists(file);
    } catch (IOException | RuntimeException e) {
      failed(file, e);
      return false;
    }
  }

  private void failed(Path path, Exception e) {
    String reason = e instanceof FileSystemException ? ((FileSystemException) e).getReason() : null;
    notDeleted.add(path + " (" + e.getClass().getSimpleName() + (reason == null ? "" : ": " + reason) + ")");
  }
}
