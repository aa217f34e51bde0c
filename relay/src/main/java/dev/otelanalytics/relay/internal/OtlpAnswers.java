package dev.otelanalytics.relay.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The bodies of the relay's answers, in the request's encoding, as the OTLP/HTTP specification
 * asks: an {@code Export*ServiceResponse} for 200 (with {@code partial_success} only when some
 * spans or points were refused), and a {@code google.rpc.Status} for every 4xx and 5xx.
 */
public final class OtlpAnswers {
  /** {@code google.rpc.Code} values for {@link #status}. */
  public static final int INVALID_ARGUMENT = 3;
  public static final int NOT_FOUND = 5;
  public static final int RESOURCE_EXHAUSTED = 8;
  public static final int UNIMPLEMENTED = 12;
  public static final int INTERNAL = 13;
  public static final int UNAVAILABLE = 14;
  public static final int UNAUTHENTICATED = 16;

  private static final JsonFactory JSON = new JsonFactory();

  private OtlpAnswers() {}

  /** {@code ExportTraceServiceResponse}; {@code partial_success} set when {@code rejected > 0}. */
  public static byte[] traces(Encoding encoding, long rejected, String message) {
    if (encoding == Encoding.PROTOBUF) {
      ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
      if (rejected > 0) {
        response.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(rejected).setErrorMessage(message));
      }
      return response.build().toByteArray();
    }
    return partialJson("rejectedSpans", rejected, message);
  }

  /** {@code ExportMetricsServiceResponse}; {@code partial_success} set when {@code rejected > 0}. */
  public static byte[] metrics(Encoding encoding, long rejected, String message) {
    if (encoding == Encoding.PROTOBUF) {
      ExportMetricsServiceResponse.Builder response = ExportMetricsServiceResponse.newBuilder();
      if (rejected > 0) {
        response.setPartialSuccess(
            ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(rejected).setErrorMessage(message));
      }
      return response.build().toByteArray();
    }
    return partialJson("rejectedDataPoints", rejected, message);
  }

  /**
   * A {@code google.rpc.Status} (field 1 {@code code}, field 2 {@code message}), written by hand:
   * its class lives in another artifact (proto-google-common-protos) that the relay need not bring.
   */
  public static byte[] status(Encoding encoding, int code, String message) {
    if (encoding == Encoding.PROTOBUF) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      try {
        out.writeInt32(1, code);
        out.writeString(2, message);
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeNumberField("code", code);
      json.writeStringField("message", message);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static byte[] partialJson(String countField, long rejected, String message) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(bytes)) {
      json.writeStartObject();
      if (rejected > 0) {
        json.writeObjectFieldStart("partialSuccess");
        json.writeStringField(countField, Long.toString(rejected)); // int64 as a decimal string (proto3 JSON)
        json.writeStringField("errorMessage", message);
        json.writeEndObject();
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
