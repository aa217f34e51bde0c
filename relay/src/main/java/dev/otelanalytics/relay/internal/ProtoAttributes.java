package dev.otelanalytics.relay.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * OTLP attributes, resources and scopes as the OpenTelemetry SDK's types, so that received spans
 * and points go through the same mapping and scrubbing as the SDK's own. Strings, booleans,
 * integers, doubles and arrays of one of them are kept; key-value lists, bytes, empty or mixed
 * arrays have no SDK attribute type and are left out (the policy could not check them anyway).
 */
public final class ProtoAttributes {
  private ProtoAttributes() {}

  public static Attributes of(List<KeyValue> keyValues) {
    if (keyValues.isEmpty()) {
      return Attributes.empty();
    }
    AttributesBuilder out = Attributes.builder();
    for (KeyValue kv : keyValues) {
      String key = kv.getKey();
      if (key.isEmpty()) {
        continue;
      }
      AnyValue value = kv.getValue();
      switch (value.getValueCase()) {
        case STRING_VALUE:
          out.put(key, value.getStringValue());
          break;
        case BOOL_VALUE:
          out.put(key, value.getBoolValue());
          break;
        case INT_VALUE:
          out.put(key, value.getIntValue());
          break;
        case DOUBLE_VALUE:
          out.put(key, value.getDoubleValue());
          break;
        case ARRAY_VALUE:
          putArray(out, key, value.getArrayValue());
          break;
        default:
          break; // key-value lists, bytes, unset: no SDK attribute type
      }
    }
    return out.build();
  }

  /**
   * The resource with only the attributes whose key is in {@code keys} (and small enough to
   * check whole): all a span's event can take from it.
   */
  public static Resource resource(io.opentelemetry.proto.resource.v1.Resource resource, java.util.Set<String> keys) {
    return Resource.create(of(validResourceKeys(KeptKeys.keep(resource.getAttributesList(), keys))));
  }

  /**
   * Leaves out keys the SDK's {@code Resource} refuses (not printable ASCII, or longer than 255
   * characters), which would otherwise fail the whole request: no policy can list such a key.
   */
  private static List<KeyValue> validResourceKeys(List<KeyValue> keyValues) {
    List<KeyValue> out = new ArrayList<>(keyValues.size());
    for (KeyValue kv : keyValues) {
      String key = kv.getKey();
      boolean valid = key.length() <= 255;
      for (int i = 0; valid && i < key.length(); i++) {
        char c = key.charAt(i);
        valid = c >= 0x20 && c <= 0x7e;
      }
      if (valid) {
        out.add(kv);
      }
    }
    return out;
  }

  public static InstrumentationScopeInfo scope(InstrumentationScope scope) {
    return InstrumentationScopeInfo.builder(scope.getName())
        .setVersion(scope.getVersion().isEmpty() ? null : scope.getVersion())
        .build();
  }

  private static void putArray(AttributesBuilder out, String key, ArrayValue array) {
    List<AnyValue> values = array.getValuesList();
    if (values.isEmpty()) {
      return;
    }
    AnyValue.ValueCase kind = values.get(0).getValueCase();
    for (AnyValue v : values) {
      if (v.getValueCase() != kind) {
        return; // mixed arrays have no SDK attribute type
      }
    }
    switch (kind) {
      case STRING_VALUE: {
        List<String> list = new ArrayList<>(values.size());
        values.forEach(v -> list.add(v.getStringValue()));
        out.put(AttributeKey.stringArrayKey(key), list);
        break;
      }
      case BOOL_VALUE: {
        List<Boolean> list = new ArrayList<>(values.size());
        values.forEach(v -> list.add(v.getBoolValue()));
        out.put(AttributeKey.booleanArrayKey(key), list);
        break;
      }
      case INT_VALUE: {
        List<Long> list = new ArrayList<>(values.size());
        values.forEach(v -> list.add(v.getIntValue()));
        out.put(AttributeKey.longArrayKey(key), list);
        break;
      }
      case DOUBLE_VALUE: {
        List<Double> list = new ArrayList<>(values.size());
        values.forEach(v -> list.add(v.getDoubleValue()));
        out.put(AttributeKey.doubleArrayKey(key), list);
        break;
      }
      default:
        break;
    }
  }
}
