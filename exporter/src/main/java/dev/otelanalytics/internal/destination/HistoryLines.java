package dev.otelanalytics.internal.destination;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.event.EventJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads one daily file of the local history, forgiving damage: a line that is not valid UTF-8 (a
 * partial write on a full disk can split a character), not JSON, not a whole event, or longer than
 * any event can be is skipped and counted, never thrown. Each line is decoded on its own, so one
 * bad byte costs one line, not the file. A link is never followed.
 */
final class HistoryLines {
  /** Longer than any event the file destination writes (PostHog's own limit is 1 MB an event). */
  static final int MAX_LINE_BYTES = 4 * 1024 * 1024;

  private HistoryLines() {}

  /**
   * Passes each readable event of {@code file} to {@code sink}, in order.
   *
   * @return how many lines could not be read (blank lines are not counted)
   * @throws IOException when the file cannot be opened or read at all
   */
  static long read(Path file, Consumer<AnalyticsEvent> sink) throws IOException {
    long unreadable = 0;
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] chunk = new byte[64 * 1024];
      ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
      boolean tooLong = false;
      int n;
      while ((n = in.read(chunk)) != -1) {
        int start = 0;
        for (int i = 0; i < n; i++) {
          if (chunk[i] != '\n') {
            continue;
          }
          tooLong = append(line, chunk, start, i - start, tooLong);
          if (tooLong || !readLine(line, utf8, sink)) {
            unreadable++;
          }
          line.reset();
          tooLong = false;
          start = i + 1;
        }
        tooLong = append(line, chunk, start, n - start, tooLong);
      }
      // The last line has no newline when a write was cut short, or is still being written.
      if (tooLong || (line.size() > 0 && !readLine(line, utf8, sink))) {
        unreadable++;
      }
      return unreadable;
    }
  }

  /** Adds bytes to the line unless it would exceed {@link #MAX_LINE_BYTES}; returns whether the line is too long. */
  private static boolean append(ByteArrayOutputStream line, byte[] chunk, int from, int length, boolean tooLong) {
    if (tooLong || line.size() + length > MAX_LINE_BYTES) {
      return true;
    }
    line.write(chunk, from, length);
    return false;
  }

  /** Passes the line's event to {@code sink}; false when the line is not one event. A blank line is fine. */
  private static boolean readLine(ByteArrayOutputStream bytes, CharsetDecoder utf8, Consumer<AnalyticsEvent> sink) {
    String text;
    try {
      text = utf8.reset().decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      return false;
    }
    if (text.trim().isEmpty()) {
      return true;
    }
    AnalyticsEvent event = EventJson.parse(text);
    if (event == null) {
      return false;
    }
    sink.accept(event);
    return true;
  }
}
