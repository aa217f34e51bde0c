package dev.otelanalytics.policy;

import dev.otelanalytics.internal.HiddenCharacters;
import dev.otelanalytics.internal.guard.GuardReason;
import dev.otelanalytics.internal.guard.ValueGuards;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What an allowed attribute may hold. A value that does not fit its type is dropped and counted,
 * as a guard hit is; an {@code enum} value that is not listed is sent as {@value #OTHER}. Every
 * type but {@code enum}, {@code int}, {@code number} and {@code bool} still passes the value
 * guards. Immutable.
 *
 * <p>In a policy file: {@code {key: report.format, why: "...", type: enum, values: [text, json]}},
 * {@code {key: files.count, why: "...", type: int, buckets: [1, 10, 100]}}. Without {@code type},
 * an attribute is a {@link #token()}.
 */
public final class AttributeType {
  /** What an {@code enum} value that is not listed is sent as. */
  public static final String OTHER = "other";
  /** Longest {@code token}, {@code version} or {@code enum} value. */
  public static final int MAX_TOKEN_LENGTH = 64;
  /** Most values of one {@code enum}, and most buckets of one {@code int} or {@code number}. */
  public static final int MAX_CHOICES = 100;

  /** The kinds of value, by the name a policy file gives them. */
  public enum Kind {
    /** One of the listed values; anything else is sent as {@value AttributeType#OTHER}. */
    ENUM("enum"),
    /** A whole number, or with buckets the range it falls in. */
    INT("int"),
    /** A number, or with buckets the range it falls in. */
    NUMBER("number"),
    /** {@code true} or {@code false}. */
    BOOL("bool"),
    /** A URL path template: segments that look like ids become {@code {id}}. */
    ROUTE("route"),
    /** A version number: {@code 1.2.3}, {@code 17.0.9+9}, {@code 1.8.0_392}, {@code 5.15.0-91-generic}. */
    VERSION("version"),
    /** One word of letters, digits and {@code _ . : + -}, at most 64 characters (the default). */
    TOKEN("token"),
    /** Free text, checked only by the heuristic value guards. */
    TEXT("text");

    private final String policyName;

    Kind(String policyName) {
      this.policyName = policyName;
    }

    /**
     * The name a policy file uses for this kind.
     *
     * @return e.g. {@code enum}, {@code int}, {@code route}
     */
    public String policyName() {
      return policyName;
    }

    /**
     * The kind a policy file names.
     *
     * @param name e.g. {@code enum}; case matters
     * @return the kind, or null when no kind has that name
     */
    public static Kind fromPolicyName(String name) {
      for (Kind kind : values()) {
        if (kind.policyName.equals(name)) {
          return kind;
        }
      }
      return null;
    }

    /**
     * The names of all kinds, for error messages.
     *
     * @return {@code enum, int, number, bool, route, version, token, text}
     */
    public static String policyNames() {
      List<String> names = new ArrayList<>();
      for (Kind kind : values()) {
        names.add(kind.policyName);
      }
      return String.join(", ", names);
    }
  }

  private static final AttributeType TOKEN = new AttributeType(Kind.TOKEN, Collections.<String>emptyList(), Collections.<Number>emptyList());
  private static final AttributeType TEXT = new AttributeType(Kind.TEXT, Collections.<String>emptyList(), Collections.<Number>emptyList());
  private static final AttributeType BOOL = new AttributeType(Kind.BOOL, Collections.<String>emptyList(), Collections.<Number>emptyList());
  private static final AttributeType ROUTE = new AttributeType(Kind.ROUTE, Collections.<String>emptyList(), Collections.<Number>emptyList());
  private static final AttributeType VERSION = new AttributeType(Kind.VERSION, Collections.<String>emptyList(), Collections.<Number>emptyList());
  private static final AttributeType INT = new AttributeType(Kind.INT, Collections.<String>emptyList(), Collections.<Number>emptyList());
  private static final AttributeType NUMBER = new AttributeType(Kind.NUMBER, Collections.<String>emptyList(), Collections.<Number>emptyList());

  private final Kind kind;
  private final List<String> values;
  private final Set<String> valueSet;
  private final List<Number> buckets;
  private final List<String> bucketLabels;

  private AttributeType(Kind kind, List<String> values, List<Number> buckets) {
    this.kind = kind;
    this.values = Collections.unmodifiableList(new ArrayList<>(values));
    this.valueSet = new HashSet<>(values);
    this.buckets = Collections.unmodifiableList(new ArrayList<>(buckets));
    this.bucketLabels = Collections.unmodifiableList(labels(kind, buckets));
  }

  /**
   * One word of letters, digits and {@code _ . : + -}, at most 64 characters, that passes the
   * value guards: the type of an attribute whose policy names none. Numbers and booleans are kept.
   *
   * @return the token type
   */
  public static AttributeType token() {
    return TOKEN;
  }

  /**
   * Free text, checked only by the heuristic value guards: the weak spot of a policy, which the
   * privacy statement says so. Declare it only where no narrower type fits.
   *
   * @return the text type
   */
  public static AttributeType text() {
    return TEXT;
  }

  /**
   * A boolean, or the text {@code true} or {@code false} (any case).
   *
   * @return the bool type
   */
  public static AttributeType bool() {
    return BOOL;
  }

  /**
   * A URL path template starting with {@code /}: a query or fragment is cut off, and each
   * segment that is not a plain word ({@code items}, {@code {id}}, {@code *}, {@code v2}) becomes
   * {@code {id}}, so an untemplated path keeps only its shape.
   *
   * @return the route type
   */
  public static AttributeType route() {
    return ROUTE;
  }

  /**
   * A version number: digits separated by dots (or {@code _}), optionally with a {@code v} in
   * front and a suffix after {@code - + . _ ~}: {@code 1.2.3}, {@code v2.0.0-rc.1},
   * {@code 17.0.9+9-LTS}, {@code 1.8.0_392}, {@code 21-ea}, {@code 5.15.0-91-generic}.
   *
   * @return the version type
   */
  public static AttributeType version() {
    return VERSION;
  }

  /**
   * A whole number, sent as it is (a number of 13 or more digits is dropped as card-like).
   *
   * @return the int type without buckets
   */
  public static AttributeType integer() {
    return INT;
  }

  /**
   * A whole number, sent as the range it falls in: with buckets {@code [1, 10, 100]} a value is
   * sent as {@code <1}, {@code 1..9}, {@code 10..99} or {@code 100+} (see {@link #bucketLabels()}).
   *
   * @param buckets the lower bound of each range, increasing; at most {@value #MAX_CHOICES}
   * @return the int type with these buckets
   * @throws IllegalArgumentException when {@code buckets} is empty, too long or not increasing
   */
  public static AttributeType integer(List<Long> buckets) {
    List<Number> checked = new ArrayList<>();
    for (Long bucket : buckets) {
      if (bucket == null) {
        throw new IllegalArgumentException("int buckets must be whole numbers, e.g. [1, 10, 100]");
      }
      checked.add(bucket);
    }
    checkIncreasing(checked);
    return new AttributeType(Kind.INT, Collections.<String>emptyList(), checked);
  }

  /**
   * A number, sent as it is (one of 13 or more integer digits is dropped as card-like).
   *
   * @return the number type without buckets
   */
  public static AttributeType number() {
    return NUMBER;
  }

  /**
   * A number, sent as the range it falls in: with buckets {@code [0.5, 1, 2]} a value is sent as
   * {@code <0.5}, {@code 0.5..<1}, {@code 1..<2} or {@code 2+}: each range holds its lower bound
   * and not its upper one.
   *
   * @param buckets the lower bound of each range, finite and increasing; at most {@value #MAX_CHOICES}
   * @return the number type with these buckets
   * @throws IllegalArgumentException when {@code buckets} is empty, too long, not finite or not increasing
   */
  public static AttributeType number(List<Double> buckets) {
    List<Number> checked = new ArrayList<>();
    for (Double bucket : buckets) {
      if (bucket == null || bucket.isNaN() || bucket.isInfinite()) {
        throw new IllegalArgumentException("number buckets must be finite numbers, e.g. [0.5, 1, 2]");
      }
      checked.add(bucket);
    }
    checkIncreasing(checked);
    return new AttributeType(Kind.NUMBER, Collections.<String>emptyList(), checked);
  }

  /**
   * One of {@code values}; any other value is sent as {@value #OTHER} and counted. The values are
   * published in the privacy statement, so each must pass the value guards.
   *
   * @param values the allowed values, at most {@value #MAX_CHOICES}, each at most 64 characters
   * @return the enum type
   * @throws IllegalArgumentException when {@code values} is empty or too long, or a value is empty,
   *     repeated, too long, has control characters or looks like personal data
   */
  public static AttributeType enumOf(Collection<String> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("type enum needs its values, e.g. values: [text, json]");
    }
    if (values.size() > MAX_CHOICES) {
      throw new IllegalArgumentException("type enum has " + values.size() + " values; at most " + MAX_CHOICES
          + " are allowed (use type token for open-ended values)");
    }
    Set<String> seen = new HashSet<>();
    for (String value : values) {
      if (value == null || value.trim().isEmpty()) {
        throw new IllegalArgumentException("an enum value is empty; list each value as a word, e.g. values: [text, json]");
      }
      if (!value.equals(value.trim()) || value.length() > MAX_TOKEN_LENGTH || HiddenCharacters.first(value) >= 0) {
        throw new IllegalArgumentException("enum value '" + HiddenCharacters.escape(value) + "' must be at most " + MAX_TOKEN_LENGTH
            + " characters, without leading or trailing spaces or control characters");
      }
      GuardReason reason = ValueGuards.check(value);
      if (reason != null) {
        throw new IllegalArgumentException("enum value '" + value + "' looks like " + reason.description()
            + "; enum values are published in the privacy statement, so list only plain words");
      }
      if (!seen.add(value)) {
        throw new IllegalArgumentException("enum value '" + value + "' is listed twice");
      }
    }
    return new AttributeType(Kind.ENUM, new ArrayList<>(values), Collections.<Number>emptyList());
  }

  /**
   * The kind of value.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The allowed values of an {@code enum}, in the order the policy lists them.
   *
   * @return the values, unmodifiable; empty for other kinds
   */
  public List<String> values() {
    return values;
  }

  /**
   * Whether an {@code enum} lists {@code value} (exactly, case included).
   *
   * @param value the value as text
   * @return true when it is one of {@link #values()}
   */
  public boolean allows(String value) {
    return valueSet.contains(value);
  }

  /**
   * The lower bounds of the ranges an {@code int} or {@code number} is sent as.
   *
   * @return {@link Long}s for {@code int}, {@link Double}s for {@code number}, unmodifiable;
   *     empty when values are sent as they are
   */
  public List<Number> buckets() {
    return buckets;
  }

  /**
   * What a bucketed value is sent as: the label of the range below the first bucket, then one per
   * bucket. For {@code int} buckets {@code [1, 10, 100]}: {@code <1, 1..9, 10..99, 100+}; for
   * {@code number} buckets {@code [0.5, 1]}: {@code <0.5, 0.5..<1, 1+}.
   *
   * @return the labels, unmodifiable; empty when values are sent as they are
   */
  public List<String> bucketLabels() {
    return bucketLabels;
  }

  /**
   * What the type lets through, in plain words for the privacy statement.
   *
   * @return e.g. "one of: text, json; anything else is sent as other"
   */
  public String describe() {
    switch (kind) {
      case ENUM:
        return "one of: " + String.join(", ", values) + "; anything else is sent as " + OTHER;
      case INT:
        return buckets.isEmpty() ? "a whole number" : "a whole number, sent only as its range: " + String.join(", ", bucketLabels);
      case NUMBER:
        return buckets.isEmpty() ? "a number" : "a number, sent only as its range: " + String.join(", ", bucketLabels);
      case BOOL:
        return "true or false";
      case ROUTE:
        return "an endpoint template; any part that looks like an id is sent as {id}";
      case VERSION:
        return "a version number";
      case TOKEN:
        return "one word of letters, digits and _ . : + -, at most " + MAX_TOKEN_LENGTH + " characters";
      default:
        return "free text, checked by heuristic guards";
    }
  }

  /**
   * The type as a policy file writes it.
   *
   * @return e.g. {@code token}, {@code enum [text, json]}, {@code int buckets [1, 10]}
   */
  @Override
  public String toString() {
    if (kind == Kind.ENUM) {
      return "enum " + values;
    }
    if (!buckets.isEmpty()) {
      List<String> bounds = new ArrayList<>();
      for (Number bucket : buckets) {
        bounds.add(plain(bucket));
      }
      return kind.policyName + " buckets [" + String.join(", ", bounds) + "]";
    }
    return kind.policyName;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AttributeType)) {
      return false;
    }
    AttributeType other = (AttributeType) o;
    return kind == other.kind && values.equals(other.values) && buckets.equals(other.buckets);
  }

  @Override
  public int hashCode() {
    return (kind.hashCode() * 31 + values.hashCode()) * 31 + buckets.hashCode();
  }

  private static void checkIncreasing(List<Number> buckets) {
    if (buckets.isEmpty()) {
      throw new IllegalArgumentException("buckets is empty; list the lower bound of each range, e.g. [1, 10, 100]");
    }
    if (buckets.size() > MAX_CHOICES) {
      throw new IllegalArgumentException("there are " + buckets.size() + " buckets; at most " + MAX_CHOICES + " are allowed");
    }
    for (int i = 1; i < buckets.size(); i++) {
      if (buckets.get(i).doubleValue() <= buckets.get(i - 1).doubleValue()) {
        throw new IllegalArgumentException("buckets must be increasing, e.g. [1, 10, 100]; " + plain(buckets.get(i))
            + " comes after " + plain(buckets.get(i - 1)));
      }
    }
  }

  private static List<String> labels(Kind kind, List<Number> buckets) {
    List<String> labels = new ArrayList<>();
    if (buckets.isEmpty()) {
      return labels;
    }
    labels.add("<" + plain(buckets.get(0)));
    for (int i = 0; i < buckets.size(); i++) {
      String low = plain(buckets.get(i));
      if (i == buckets.size() - 1) {
        labels.add(low + "+");
      } else if (kind == Kind.INT) {
        long high = buckets.get(i + 1).longValue() - 1;
        labels.add(high == buckets.get(i).longValue() ? low : low + ".." + high);
      } else {
        labels.add(low + "..<" + plain(buckets.get(i + 1)));
      }
    }
    return labels;
  }

  /** {@code 1.0} → {@code 1}, {@code 0.50} → {@code 0.5}, never an exponent. */
  static String plain(Number n) {
    if (n instanceof Long) {
      return n.toString();
    }
    return BigDecimal.valueOf(n.doubleValue()).stripTrailingZeros().toPlainString();
  }
}
