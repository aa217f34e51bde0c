package dev.otelanalytics.relay.internal;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Reads a request body into memory, never more than the limit: the bytes on the wire are counted
 * (a huge upload stops at the limit) and, for {@code Content-Encoding: gzip}, the decompressed
 * bytes again (a gzip bomb stops at the limit too, having used at most that much memory). The OTLP
 * specification asks a server to limit the body "including after decompression".
 */
public final class BodyReader {
  private static final int BUFFER = 16 * 1024;

  private BodyReader() {}

  /** The body was longer than the limit. */
  public static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(String message) {
      super(message);
    }
  }

  /** The gzip stream could not be decompressed. */
  public static final class BadEncodingException extends IOException {
    private static final long serialVersionUID = 1L;

    BadEncodingException(String message) {
      super(message);
    }
  }

  /**
   * Reads all of {@code in}.
   *
   * @param gzip whether the body is gzip-compressed
   * @param limit the most bytes accepted, on the wire and after decompression
   * @throws TooLargeException over the limit (the rest is not read)
   * @throws BadEncodingException for a gzip body that is not valid gzip
   */
  public static byte[] read(InputStream in, boolean gzip, long limit) throws IOException {
    LimitedStream wire = new LimitedStream(in, limit);
    if (!gzip) {
      return readAll(wire, limit, "");
    }
    GZIPInputStream unzipped;
    try {
      unzipped = new GZIPInputStream(wire, BUFFER);
    } catch (TooLargeException e) {
      throw e;
    } catch (IOException e) {
      throw new BadEncodingException("the body is not valid gzip (Content-Encoding: gzip)");
    }
    try {
      return readAll(unzipped, limit, " after decompression");
    } catch (TooLargeException e) {
      throw e;
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new BadEncodingException("the body is not valid gzip (Content-Encoding: gzip)");
    }
  }

  private static byte[] readAll(InputStream in, long limit, String where) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(limit, BUFFER));
    byte[] buffer = new byte[BUFFER];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      total += n;
      if (total > limit) {
        throw new TooLargeException("the body is larger than " + limit + " bytes" + where);
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  /** Counts the bytes read from the wire; more than the limit throws. */
  private static final class LimitedStream extends FilterInputStream {
    private final long limit;
    private long count;

    LimitedStream(InputStream in, long limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws TooLargeException {
      count += n;
      if (count > limit) {
        throw new TooLargeException("the body is larger than " + limit + " bytes");
      }
    }
  }
}
