package dev.otelanalytics.internal.scrub;

import dev.otelanalytics.policy.AttributeType;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Fits one attribute value to its {@link AttributeType}: returns what may be sent, or null when
 * the value does not fit. The value guards are the caller's (they run after this on whatever
 * text is left); an {@code enum} is decided here, {@code other} included.
 */
final class TypedValues {
  /** Most digits a token holds: more is an id, a phone number or a timestamp, not a word. */
  static final int MAX_TOKEN_DIGITS = 8;
  private static final Pattern VERSION =
      Pattern.compile("[vV]?\\d{1,9}(?:[._]\\d{1,9}){0,5}(?:[-+._~][A-Za-z0-9]{1,24}){0,8}");
  private static final Pattern WHOLE = Pattern.compile("-?\\d{1,18}");
  private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,15}(?:\\.\\d{1,15})?");
  /** Largest whole number a double holds exactly. */
  private static final double EXACT_DOUBLE = 9_007_199_254_740_992d;

  private TypedValues() {}

  /** A token ({@code report_json}, {@code 17.0.9+9}), a number or a boolean; null for anything else. */
  static Object token(Object value) {
    if (value instanceof String) {
      String s = (String) value;
      return isToken(s) ? s : null;
    }
    if (value instanceof Long) {
      long l = (Long) value;
      return l > -100_000_000L && l < 100_000_000L ? value : null;
    }
    if (value instanceof Double) {
      double d = (Double) value;
      return Math.abs(d) < 100_000_000d ? value : null;
    }
    return value instanceof Boolean ? value : null;
  }

  /** The value as the listed enum value it equals; null when it is not listed. */
  static String enumValue(AttributeType type, Object value) {
    String text = value instanceof Double && isWhole((Double) value) ? String.valueOf(((Double) value).longValue())
        : String.valueOf(value);
    return type.allows(text) ? text : null;
  }

  /** A whole number, or its bucket's label; null when {@code value} is not a whole number. */
  static Object integer(AttributeType type, Object value) {
    Long whole = null;
    if (value instanceof Long) {
      whole = (Long) value;
    } else if (value instanceof Double && isWhole((Double) value) && Math.abs((Double) value) <= EXACT_DOUBLE) {
      whole = ((Double) value).longValue();
    } else if (value instanceof String && WHOLE.matcher((String) value).matches()) {
      whole = Long.parseLong((String) value);
    }
    if (whole == null) {
      return null;
    }
    return type.buckets().isEmpty() ? whole : bucket(type, whole.doubleValue());
  }

  /** A number, or its bucket's label; null when {@code value} is not a finite number. */
  static Object number(AttributeType type, Object value) {
    Double d = null;
    if (value instanceof Long) {
      d = ((Long) value).doubleValue();
    } else if (value instanceof Double && !((Double) value).isNaN() && !((Double) value).isInfinite()) {
      d = (Double) value;
    } else if (value instanceof String && DECIMAL.matcher((String) value).matches()) {
      d = Double.parseDouble((String) value);
    }
    if (d == null) {
      return null;
    }
    return type.buckets().isEmpty() ? d : bucket(type, d);
  }

  static Boolean bool(Object value) {
    if (value instanceof Boolean) {
      return (Boolean) value;
    }
    if (value instanceof String) {
      String s = (String) value;
      return s.equalsIgnoreCase("true") ? Boolean.TRUE : s.equalsIgnoreCase("false") ? Boolean.FALSE : null;
    }
    return null;
  }

  static String route(Object value) {
    return value instanceof String ? RouteTemplate.of((String) value) : null;
  }

  static String version(Object value) {
    if (value instanceof Long && (Long) value >= 0) {
      return String.valueOf(value);
    }
    if (!(value instanceof String)) {
      return null;
    }
    String s = (String) value;
    return s.length() <= AttributeType.MAX_TOKEN_LENGTH && VERSION.matcher(s).matches() ? s : null;
  }

  private static String bucket(AttributeType type, double value) {
    List<Number> buckets = type.buckets();
    int index = 0;
    while (index < buckets.size() && value >= buckets.get(index).doubleValue()) {
      index++;
    }
    return type.bucketLabels().get(index);
  }

  private static boolean isWhole(double d) {
    return !Double.isInfinite(d) && d == Math.rint(d);
  }

  /** One word of letters, digits and {@code _ . : + -}, at most 64 characters and 8 digits; a plain scan, no allocation. */
  static boolean isToken(String s) {
    if (s.isEmpty() || s.length() > AttributeType.MAX_TOKEN_LENGTH) {
      return false;
    }
    int digits = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.' || c == ':' || c == '+' || c == '-')) {
        return false;
      }
    }
    return digits <= MAX_TOKEN_DIGITS;
  }
}
