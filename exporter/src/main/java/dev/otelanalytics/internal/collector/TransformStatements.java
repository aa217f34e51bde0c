package dev.otelanalytics.internal.collector;

import dev.otelanalytics.internal.event.SpanEventMapper;
import dev.otelanalytics.internal.scrub.KeyedHasher;
import dev.otelanalytics.policy.PrivacyPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The transform processor's OTTL statements, per place an attribute can be: keep only the keys
 * the policy lists there; cut each hashed key's HMAC to the 32 hex digits {@code KeyedHasher}
 * keeps and mark it ({@link KeyedHasher#GATEWAY_MARK}), removing anything else found under that
 * key; remove the values the redaction processor masked, so the relay sees them missing, as a Java
 * service sends them; clear what no event uses (status descriptions, trace state, links,
 * exemplars, instrumentation scopes, metric descriptions and units). Also, for a step before the
 * redaction processors, the removal of values that are neither a string, a number, a boolean nor
 * a list, which the redaction processor would not check (bytes are seen only as base64).
 */
final class TransformStatements {
  /** What the redaction processor's hmac-sha256 writes: the whole digest in lower-case hex. */
  private static final String HEX_HMAC = "^[0-9a-f]{64}\\z";
  /** What KeyedHasher writes, marked: what a hashed key may hold once cut, and what the relay keeps. */
  private static final String MARKED_HASH = "^" + Ottl.literal(KeyedHasher.GATEWAY_MARK) + "[0-9a-f]{"
      + KeyedHasher.OUTPUT_BYTES * 2 + "}\\z";

  private final PrivacyPolicy policy;
  private final GatewayKeys keys;

  TransformStatements(PrivacyPolicy policy, GatewayKeys keys) {
    this.policy = policy;
    this.keys = keys;
  }

  /** For resources, in traces and metrics alike. */
  List<String> resource() {
    List<String> out = new ArrayList<>();
    out.add(keepOnly("resource.attributes", keys.resource()));
    out.addAll(cleanUp("resource.attributes", keys.resource(), ""));
    return out;
  }

  /** For instrumentation scopes, in traces and metrics alike: nothing of them is used. */
  static List<String> scope() {
    return Arrays.asList("set(scope.name, \"\")", "set(scope.version, \"\")", "keep_keys(scope.attributes, [])");
  }

  /** For metrics: the name and the data points are used, not the description or the unit. */
  static List<String> metric() {
    return Arrays.asList("set(metric.description, \"\")", "set(metric.unit, \"\")");
  }

  List<String> span() {
    List<String> out = new ArrayList<>();
    out.add(keepOnly("span.attributes", keys.span()));
    out.addAll(Arrays.asList("set(span.status.message, \"\")", "set(span.trace_state, \"\")", "set(span.links, nil)"));
    out.addAll(cleanUp("span.attributes", keys.span(), ""));
    return out;
  }

  /** The {@code exception} events keep their type; the events the policy names keep its span attributes. */
  List<String> spanEvents() {
    List<String> out = new ArrayList<>();
    String isException = "spanevent.name == " + Ottl.string(SpanEventMapper.EXCEPTION_EVENT);
    out.add(keepOnly("spanevent.attributes", keys.exceptionEvent()) + " where " + isException);
    out.addAll(cleanUp("spanevent.attributes", keys.exceptionEvent(), isException));
    List<String> listed = new ArrayList<>(policy.spanEvents());
    listed.remove(SpanEventMapper.EXCEPTION_EVENT);
    if (!listed.isEmpty()) {
      // The filter processor already dropped every other span event.
      String isListed = "spanevent.name != " + Ottl.string(SpanEventMapper.EXCEPTION_EVENT);
      out.add(keepOnly("spanevent.attributes", keys.listedEvents()) + " where " + isListed);
      out.addAll(cleanUp("spanevent.attributes", keys.listedEvents(), isListed));
    }
    return out;
  }

  List<String> dataPoints() {
    List<String> out = new ArrayList<>();
    out.add(keepOnly("datapoint.attributes", keys.dataPoint()));
    out.add("set(datapoint.exemplars, nil)");
    out.addAll(cleanUp("datapoint.attributes", keys.dataPoint(), ""));
    return out;
  }

  /** Removes each of {@code kept} in {@code map} whose value is bytes, a map or empty. */
  static List<String> removeOtherTypes(String map, List<String> kept) {
    List<String> out = new ArrayList<>();
    for (String key : kept) {
      String value = map + "[" + Ottl.string(key) + "]";
      out.add("delete_key(" + map + ", " + Ottl.string(key) + ") where not (IsString(" + value + ") or IsInt(" + value
          + ") or IsDouble(" + value + ") or IsBool(" + value + ") or IsList(" + value + "))");
    }
    return out;
  }

  private static String keepOnly(String map, List<String> kept) {
    return "keep_keys(" + map + ", " + Ottl.list(kept) + ")";
  }

  /**
   * For each key in {@code map}: a hashed key keeps the first 32 hex digits of its HMAC, after the
   * mark (anything else there is removed); any other key is removed when the redaction processor
   * masked it.
   */
  private List<String> cleanUp(String map, List<String> kept, String condition) {
    String also = condition.isEmpty() ? "" : " and " + condition;
    List<String> out = new ArrayList<>();
    for (String key : kept) {
      String value = map + "[" + Ottl.string(key) + "]";
      if (keys.hashed().contains(key)) {
        out.add("set(" + value + ", Concat([" + Ottl.string(KeyedHasher.GATEWAY_MARK) + ", Substring(" + value + ", 0, "
            + KeyedHasher.OUTPUT_BYTES * 2 + ")], \"\")) where IsMatch(" + value + ", " + Ottl.string(HEX_HMAC) + ")" + also);
        out.add("delete_key(" + map + ", " + Ottl.string(key) + ") where " + value + " != nil and not IsMatch(" + value + ", "
            + Ottl.string(MARKED_HASH) + ")" + also);
      } else {
        out.add("delete_key(" + map + ", " + Ottl.string(key) + ") where " + value + " == " + Ottl.string(CollectorConfigWriter.MASK)
            + also);
      }
    }
    return out;
  }
}
