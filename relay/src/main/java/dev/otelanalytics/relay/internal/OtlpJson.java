package dev.otelanalytics.relay.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Base64;

/**
 * Decodes OTLP/JSON into the published proto classes, by their descriptors, following the OTLP
 * specification's deviations from the proto3 JSON mapping: {@code traceId}, {@code spanId} and
 * {@code parentSpanId} are case-insensitive hex (not base64); enums are integers (names are
 * accepted too); 64-bit integers may be strings or numbers; unknown fields are ignored. Keys are
 * lowerCamelCase; the original snake_case names are accepted as well, as proto3 parsers do.
 *
 * <p>Written on Jackson's streaming parser (already a dependency) rather than protobuf-java-util's
 * {@code JsonFormat}, which decodes the ids as base64 and would bring Gson and Guava.
 */
public final class OtlpJson {
  /** The most characters an OTLP integer can have: a sign and 20 digits (2^64 - 1 has 20). */
  private static final int MAX_INTEGER_CHARS = 21;

  /** Deepest nesting accepted (attribute values nest arrays and key-value lists). */
  static final int MAX_DEPTH = 64;
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final BigInteger UNSIGNED_64 = BigInteger.ONE.shiftLeft(64);

  private OtlpJson() {}

  /** The JSON could not be decoded as the message; the message says where, never echoing values. */
  public static final class BadJsonException extends Exception {
    private static final long serialVersionUID = 1L;

    BadJsonException(String message) {
      super(message);
    }
  }

  /**
   * Merges the JSON object in {@code json} into {@code builder}.
   *
   * @throws BadJsonException when it is not JSON, not an object, or a field has a value of the wrong kind
   */
  public static void merge(byte[] json, Message.Builder builder) throws BadJsonException {
    try (JsonParser parser = FACTORY.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new BadJsonException("the body is not a JSON object");
      }
      mergeObject(parser, builder, 0);
      if (parser.nextToken() != null) {
        throw new BadJsonException("the body has content after its JSON object");
      }
    } catch (JsonProcessingException e) {
      throw new BadJsonException("the body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")");
    } catch (IOException e) {
      throw new BadJsonException("the body could not be read as JSON");
    }
  }

  private static void mergeObject(JsonParser parser, Message.Builder builder, int depth) throws IOException, BadJsonException {
    if (depth > MAX_DEPTH) {
      throw new BadJsonException("the JSON nests deeper than " + MAX_DEPTH + " levels");
    }
    Descriptor type = builder.getDescriptorForType();
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      FieldDescriptor field = field(type, name);
      JsonToken valueToken = parser.nextToken();
      if (field == null || valueToken == JsonToken.VALUE_NULL) {
        parser.skipChildren(); // unknown fields are ignored, as the spec asks; null is the default
        continue;
      }
      if (field.isRepeated()) {
        if (valueToken != JsonToken.START_ARRAY) {
          throw wrong(type, field, "an array");
        }
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          builder.addRepeatedField(field, value(parser, builder, field, depth));
        }
      } else {
        builder.setField(field, value(parser, builder, field, depth));
      }
    }
    if (token != JsonToken.END_OBJECT) {
      throw new BadJsonException("the JSON object " + type.getName() + " is not closed");
    }
  }

  private static FieldDescriptor field(Descriptor type, String name) {
    for (FieldDescriptor field : type.getFields()) {
      if (field.getJsonName().equals(name) || field.getName().equals(name)) {
        return field;
      }
    }
    return null;
  }

  private static Object value(JsonParser parser, Message.Builder builder, FieldDescriptor field, int depth)
      throws IOException, BadJsonException {
    JsonToken token = parser.currentToken();
    switch (field.getJavaType()) {
      case MESSAGE:
        if (token != JsonToken.START_OBJECT) {
          throw wrong(builder.getDescriptorForType(), field, "an object");
        }
        Message.Builder child = builder.newBuilderForField(field);
        mergeObject(parser, child, depth + 1);
        return child.build();
      case STRING:
        if (token != JsonToken.VALUE_STRING) {
          throw wrong(builder.getDescriptorForType(), field, "a string");
        }
        return parser.getText();
      case BOOLEAN:
        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
          return token == JsonToken.VALUE_TRUE;
        }
        throw wrong(builder.getDescriptorForType(), field, "true or false");
      case INT:
        return (int) integer(parser, builder, field, true);
      case LONG:
        return integer(parser, builder, field, false);
      case DOUBLE:
        return floating(parser, builder, field);
      case FLOAT:
        return (float) floating(parser, builder, field);
      case BYTE_STRING:
        if (token != JsonToken.VALUE_STRING) {
          throw wrong(builder.getDescriptorForType(), field, "a string");
        }
        return bytes(parser.getText(), builder.getDescriptorForType(), field);
      case ENUM:
        return enumValue(parser, builder, field);
      default:
        throw wrong(builder.getDescriptorForType(), field, "a value of its type");
    }
  }

  private static long integer(JsonParser parser, Message.Builder builder, FieldDescriptor field, boolean int32)
      throws IOException, BadJsonException {
    JsonToken token = parser.currentToken();
    BigInteger value;
    try {
      // No OTLP integer has more than 20 digits: a longer text is refused before it is parsed, since
      // BigInteger and BigDecimal take time that grows faster than the text (a tiny gzip body of
      // millions of digits, or an exponent of 1e80000000, would hold a thread for minutes).
      if (token == JsonToken.VALUE_NUMBER_INT) {
        if (parser.getTextLength() > MAX_INTEGER_CHARS) {
          throw wrong(builder.getDescriptorForType(), field, "an integer in range");
        }
        value = parser.getBigIntegerValue();
      } else if (token == JsonToken.VALUE_STRING) {
        String text = parser.getText().trim();
        if (text.length() > MAX_INTEGER_CHARS) {
          throw wrong(builder.getDescriptorForType(), field, "an integer in range");
        }
        value = new BigInteger(text);
      } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
        double d = parser.getDoubleValue();
        if (Double.isInfinite(d) || Double.isNaN(d) || Math.abs(d) >= 0x1p64 || d != Math.rint(d)) {
          throw wrong(builder.getDescriptorForType(), field, "an integer in range");
        }
        value = new java.math.BigDecimal(d).toBigIntegerExact();
      } else {
        throw wrong(builder.getDescriptorForType(), field, "an integer");
      }
    } catch (NumberFormatException | ArithmeticException e) {
      throw wrong(builder.getDescriptorForType(), field, "an integer");
    }
    boolean unsigned = field.getType() == FieldDescriptor.Type.FIXED64 || field.getType() == FieldDescriptor.Type.UINT64
        || field.getType() == FieldDescriptor.Type.FIXED32 || field.getType() == FieldDescriptor.Type.UINT32;
    int bits = int32 ? 32 : 64;
    BigInteger min = unsigned ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
    BigInteger max = unsigned ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
        : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw wrong(builder.getDescriptorForType(), field, "an integer in range");
    }
    // Unsigned 64-bit values above Long.MAX_VALUE are kept in their two's complement, as protobuf does.
    return value.signum() >= 0 && value.bitLength() == 64 ? value.subtract(UNSIGNED_64).longValue() : value.longValue();
  }

  private static double floating(JsonParser parser, Message.Builder builder, FieldDescriptor field)
      throws IOException, BadJsonException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      return parser.getDoubleValue();
    }
    if (token == JsonToken.VALUE_STRING) {
      String text = parser.getText().trim();
      switch (text) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          try {
            return Double.parseDouble(text);
          } catch (NumberFormatException e) {
            throw wrong(builder.getDescriptorForType(), field, "a number");
          }
      }
    }
    throw wrong(builder.getDescriptorForType(), field, "a number");
  }

  private static EnumValueDescriptor enumValue(JsonParser parser, Message.Builder builder, FieldDescriptor field)
      throws IOException, BadJsonException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT) {
      return field.getEnumType().findValueByNumberCreatingIfUnknown(parser.getIntValue());
    }
    if (token == JsonToken.VALUE_STRING) {
      EnumValueDescriptor named = field.getEnumType().findValueByName(parser.getText());
      if (named != null) {
        return named;
      }
    }
    throw wrong(builder.getDescriptorForType(), field, "an integer enum value");
  }

  /** Trace and span ids are hex in OTLP/JSON; every other bytes field is base64 (the proto3 mapping). */
  private static ByteString bytes(String text, Descriptor type, FieldDescriptor field) throws BadJsonException {
    String name = field.getName();
    if (name.equals("trace_id") || name.equals("span_id") || name.equals("parent_span_id")) {
      if (text.length() % 2 != 0) {
        throw wrong(type, field, "hex");
      }
      byte[] out = new byte[text.length() / 2];
      for (int i = 0; i < out.length; i++) {
        int hi = Character.digit(text.charAt(2 * i), 16);
        int lo = Character.digit(text.charAt(2 * i + 1), 16);
        if (hi < 0 || lo < 0) {
          throw wrong(type, field, "hex");
        }
        out[i] = (byte) (hi << 4 | lo);
      }
      return ByteString.copyFrom(out);
    }
    try {
      return ByteString.copyFrom(Base64.getDecoder().decode(text));
    } catch (IllegalArgumentException e) {
      try {
        return ByteString.copyFrom(Base64.getUrlDecoder().decode(text));
      } catch (IllegalArgumentException e2) {
        throw wrong(type, field, "base64");
      }
    }
  }

  private static BadJsonException wrong(Descriptor type, FieldDescriptor field, String expected) {
    return new BadJsonException(type.getName() + "." + field.getJsonName() + " must be " + expected);
  }
}
