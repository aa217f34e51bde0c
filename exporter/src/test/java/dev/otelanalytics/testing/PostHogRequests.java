package dev.otelanalytics.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import mockwebserver3.RecordedRequest;

/** Decodes what a PostHog destination sent to a MockWebServer. */
public final class PostHogRequests {
  private PostHogRequests() {}

  /** The request body as JSON, gunzipped when it was sent compressed. */
  public static Map<String, Object> body(RecordedRequest request) {
    byte[] raw = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
    try {
      if ("gzip".equals(request.getHeaders().get("Content-Encoding"))) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
          raw = in.readAllBytes();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Json.object(new String(raw, java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The {@code batch} array of a request. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> events(RecordedRequest request) {
    return (List<Map<String, Object>>) body(request).get("batch");
  }
}
