package dev.otelanalytics.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelanalytics.internal.DurationParser;
import dev.otelanalytics.internal.guard.NeverKeptKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a YAML privacy policy (format in docs/policy.md):
 *
 * <pre>{@code
 * version: 1
 * events:
 *   spans: local-root            # or a list of span-name globs
 *   span_events: [cache.miss]
 *   names: [inspect, report, "GET /api/*"]   # optional; any other name is sent as "other"
 * attributes:
 *   allow:
 *     - {key: cli.command, why: "which command was run", type: enum, values: [inspect, report]}
 *     - {key: files.count, why: "how many files one run reads", type: int, buckets: [1, 10, 100]}
 *   hash:
 *     - {key: enduser.id, why: "count distinct users without knowing who they are"}
 * resource:
 *   allow: [service.name, service.version]
 * metrics:
 *   allow: [cli.items.inspected]
 *   report_interval: 24h
 * }</pre>
 *
 * <p>An allowed attribute's {@code type} is one of {@code enum} (with {@code values}),
 * {@code int} or {@code number} (optionally with increasing {@code buckets}), {@code bool},
 * {@code route}, {@code version}, {@code token} (the default) or {@code text}; see
 * {@link AttributeType}.
 *
 * <p>Strict on purpose: an unknown key, an unknown type, an {@code enum} without values, buckets
 * that do not increase, a wrong YAML type or an attribute without its {@code why} is an error
 * naming the line and the key, never silently ignored. The file replaces the
 * built-in policy as a whole.
 */
public final class PolicyLoader {
  /** In a holder: reading a compiled policy loads no part of the YAML parser. */
  private static final class Yaml {
    static final YAMLFactory FACTORY = new YAMLFactory();

    static JsonParser parser(Reader reader) throws IOException {
      return FACTORY.createParser(reader);
    }
  }


  private PolicyLoader() {}

  /**
   * Loads the policy in {@code file}.
   *
   * @param file the YAML file, read as UTF-8
   * @return the policy
   * @throws PolicyException when the file does not exist, cannot be read or is not a valid policy
   */
  public static PrivacyPolicy load(Path file) throws PolicyException {
    if (Files.isDirectory(file)) {
      throw new PolicyException("policy file " + file + " cannot be read: it is a directory; name a YAML file instead");
    }
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(reader, file.toString());
    } catch (NoSuchFileException e) {
      throw new PolicyException("policy file " + file + " does not exist");
    } catch (IOException e) {
      throw new PolicyException("policy file " + file + " cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  /**
   * Loads a policy from {@code in} (closed by the caller); {@code source} names it in errors.
   *
   * @param in the YAML text, UTF-8
   * @param source names the policy in error messages, e.g. a file or resource name
   * @return the policy
   * @throws PolicyException when {@code in} cannot be read or is not a valid policy
   */
  public static PrivacyPolicy load(InputStream in, String source) throws PolicyException {
    try {
      return parse(new InputStreamReader(in, StandardCharsets.UTF_8), source);
    } catch (IOException e) {
      throw new PolicyException("policy " + source + " cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  /**
   * Reads a policy file's content as {@link #load(Path)} reads the file, and writes its compiled
   * form to {@code compiled}: every answer the YAML parser gave the policy reader, in order, which
   * {@link #loadCompiled} plays back to the same reader, so that it reads the same policy without
   * the YAML parser (or Jackson's factory). A text that UTF-8 cannot carry (a lone surrogate
   * written as an escape) leaves nothing compiled: that policy is always read from its YAML.
   * otel-analytics keeps the compiled form in the state directory, keyed by the file's exact
   * content and the library's version, so that a command-line run does not load the YAML parser.
   *
   * @param yaml the file's content, UTF-8
   * @param source names the policy in error messages, e.g. the file's path
   * @param compiled receives the compiled form, or nothing
   * @return the policy
   * @throws PolicyException when the content is not valid UTF-8 or not a valid policy
   */
  public static PrivacyPolicy load(byte[] yaml, String source, OutputStream compiled) throws PolicyException {
    Reader reader = new InputStreamReader(new ByteArrayInputStream(yaml),
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
    StringBuilder log = new StringBuilder(yaml.length * 2);
    PrivacyPolicy policy;
    try (JsonParser p = Yaml.parser(reader)) {
      policy = read(new ParserTokens(p, log), source);
    } catch (IOException e) {
      throw new PolicyException("policy " + source + " cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
    byte[] bytes = log.toString().getBytes(StandardCharsets.UTF_8);
    // A text UTF-8 cannot carry (a lone surrogate written as an escape) is never compiled.
    if (new String(bytes, StandardCharsets.UTF_8).contentEquals(log)) {
      try {
        compiled.write(bytes);
      } catch (IOException e) {
        throw new PolicyException("policy " + source + ": its compiled form cannot be written (" + e.getClass().getSimpleName() + ")", e);
      }
    }
    return policy;
  }

  /**
   * Reads a compiled form written by {@link #load(byte[], String, OutputStream)} of the same
   * library version; one that does not answer every question of the reader in order, or has
   * answers left over, is refused.
   *
   * @param compiled the compiled form
   * @param source names the policy in error messages
   * @return the policy
   * @throws PolicyException when it is not a valid compiled policy
   */
  public static PrivacyPolicy loadCompiled(byte[] compiled, String source) throws PolicyException {
    ReplayedTokens tokens = new ReplayedTokens(new String(compiled, StandardCharsets.UTF_8));
    PrivacyPolicy policy;
    try {
      policy = read(tokens, source);
    } catch (IOException | RuntimeException e) {
      throw new PolicyException("compiled policy " + source + " cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
    if (!tokens.finished()) {
      throw new PolicyException("compiled policy " + source + " has answers left over");
    }
    return policy;
  }

  private static PrivacyPolicy parse(Reader reader, String source) throws PolicyException, IOException {
    try (JsonParser p = Yaml.parser(reader)) {
      return read(new ParserTokens(p, null), source);
    }
  }

  private static PrivacyPolicy read(PolicyTokens p, String source) throws PolicyException, IOException {
    try {
      return new Reading(p, source).readPolicy();
    } catch (JsonProcessingException e) {
      if (e.getCause() instanceof IOException && !(e.getCause() instanceof JsonProcessingException)) {
        throw new PolicyException("policy " + source + " cannot be read (" + e.getCause().getClass().getSimpleName() + ")", e);
      }
      JsonLocation loc = e.getLocation();
      String line = loc == null ? "" : ", line " + loc.getLineNr();
      throw new PolicyException("policy " + source + line + ": not valid YAML (" + firstLine(e.getOriginalMessage()) + ")", e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "syntax error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** One pass over the token stream; keeps the parser for line numbers. */
  private static final class Reading {
    private final PolicyTokens p;
    private final String source;
    private final PrivacyPolicy.Builder builder = PrivacyPolicy.builder();
    /** Where the list item being read starts; errors about the whole item point there. */
    private int itemStart = PolicyTokens.NO_LINE;
    /** Where the key being read is; errors about its value point there. */
    private int keyLocation = PolicyTokens.NO_LINE;

    Reading(PolicyTokens p, String source) {
      this.p = p;
      this.source = source;
    }

    PrivacyPolicy readPolicy() throws IOException, PolicyException {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw error("the file is empty; it needs at least 'version: 1'");
      }
      if (first != JsonToken.START_OBJECT) {
        throw error("the top level must be a mapping with 'version: 1' and sections events, attributes, resource, metrics");
      }
      boolean sawVersion = false;
      Set<String> seen = new HashSet<>();
      while (nextField(seen, "")) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "version":
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getIntValue() != 1) {
              throw error("version: only version 1 is supported");
            }
            sawVersion = true;
            break;
          case "events":
            readEvents();
            break;
          case "attributes":
            readAttributes();
            break;
          case "resource":
            readResource();
            break;
          case "metrics":
            readMetrics();
            break;
          default:
            throw unknownKey("", field, "version", "events", "attributes", "resource", "metrics");
        }
      }
      if (!sawVersion) {
        throw new PolicyException("policy " + source + ", line 1: missing 'version: 1' at the top level");
      }
      if (p.nextToken() != null) {
        throw error("only one YAML document is allowed; remove the '---' and merge the sections");
      }
      return builder.build();
    }

    private void readEvents() throws IOException, PolicyException {
      expectMapping("events");
      Set<String> seen = new HashSet<>();
      while (nextField(seen, "events.")) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "spans":
            List<String> selectors = p.currentToken() == JsonToken.VALUE_STRING
                ? Arrays.asList(p.getText())
                : readStringList("events.spans");
            apply("events.spans", () -> builder.setSpanSelectors(selectors));
            break;
          case "span_events":
            for (String name : readStringList("events.span_events")) {
              apply("events.span_events", () -> builder.addSpanEvent(name));
            }
            break;
          case "names":
            List<String> names = readStringList("events.names");
            if (names.isEmpty()) {
              throw error("events.names: the list is empty; list the event names to keep, or remove 'names' to keep every"
                  + " name the name rule lets through");
            }
            apply("events.names", () -> builder.setEventNames(names));
            break;
          default:
            throw unknownKey("events.", field, "spans", "span_events", "names");
        }
      }
    }

    private void readAttributes() throws IOException, PolicyException {
      expectMapping("attributes");
      Set<String> seen = new HashSet<>();
      while (nextField(seen, "attributes.")) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "allow":
            readEntries("attributes.allow", true, true, (k, w, t) -> builder.allowAttribute(k, w, t));
            break;
          case "hash":
            readEntries("attributes.hash", true, false, (k, w, t) -> builder.hashAttribute(k, w));
            break;
          default:
            throw unknownKey("attributes.", field, "allow", "hash");
        }
      }
    }

    private void readResource() throws IOException, PolicyException {
      expectMapping("resource");
      Set<String> seen = new HashSet<>();
      while (nextField(seen, "resource.")) {
        String field = p.currentName();
        p.nextToken();
        if (!field.equals("allow")) {
          throw unknownKey("resource.", field, "allow");
        }
        readEntries("resource.allow", false, true, (k, w, t) -> builder.allowResourceAttribute(k, w, t));
      }
    }

    private void readMetrics() throws IOException, PolicyException {
      expectMapping("metrics");
      Set<String> seen = new HashSet<>();
      while (nextField(seen, "metrics.")) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "allow":
            readEntries("metrics.allow", false, false, (k, w, t) -> builder.allowMetric(k, w));
            break;
          case "report_interval":
            Duration interval = p.currentToken() == JsonToken.VALUE_STRING ? DurationParser.parse(p.getText()) : null;
            if (interval == null) {
              throw error("metrics.report_interval: expected " + DurationParser.ACCEPTED + ", from 1s to 366d, e.g. 24h");
            }
            apply("metrics.report_interval", () -> builder.setReportInterval(interval));
            break;
          default:
            throw unknownKey("metrics.", field, "allow", "report_interval");
        }
      }
    }

    /**
     * A list whose items are either plain keys or {key, why} mappings; with {@code typed}, a
     * mapping may also say {@code type}, {@code values} and {@code buckets}.
     */
    private void readEntries(String path, boolean whyRequired, boolean typed, EntrySink sink)
        throws IOException, PolicyException {
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw error(path + ": expected a list, e.g. [" + (whyRequired ? "{key: cli.command, why: \"...\"}" : "service.name") + "]");
      }
      int index = 0;
      PolicyException missingReason = null;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        itemStart = p.line();
        String itemPath = path + "[" + index++ + "]";
        String key;
        String why = "";
        AttributeType type = AttributeType.token();
        if (p.currentToken() == JsonToken.VALUE_STRING) {
          key = p.getText();
          if (whyRequired) {
            throw error(itemPath + " '" + key + "': write it as {key: " + key
                + ", why: \"...\"}; every collected attribute states why (it becomes PRIVACY.md)");
          }
        } else if (p.currentToken() == JsonToken.START_OBJECT) {
          Item item = readItem(itemPath, typed);
          key = item.key;
          why = item.why;
          if (key == null) {
            throw error(itemPath + ": missing 'key'");
          }
          if (whyRequired && why.isEmpty()) {
            throw error(itemPath + " '" + key + "': missing 'why'; every collected attribute states why (it becomes PRIVACY.md)");
          }
          type = item.type(itemPath + " '" + key + "'");
        } else {
          throw error(itemPath + ": expected a key or {key, why}");
        }
        if (path.equals("resource.allow") && why.isEmpty() && !NeverKeptKeys.isNeverKept(key)) {
          why = KnownResourceReasons.of(key);
          if (why == null) {
            // Reported once the list has parsed, so that a YAML syntax error in it is named first.
            if (missingReason == null) {
              missingReason = error(itemPath + " '" + key + "': write it as {key: " + key + ", why: \"...\"}; only "
                  + KnownResourceReasons.keys() + " may be listed without a reason (it becomes PRIVACY.md)");
            }
            itemStart = PolicyTokens.NO_LINE;
            continue;
          }
        }
        String k = key;
        String w = why;
        AttributeType t = type;
        apply(itemPath, () -> sink.accept(k, w, t));
        itemStart = PolicyTokens.NO_LINE;
      }
      if (missingReason != null) {
        throw missingReason;
      }
    }

    /** The fields of one {key, why, type, values, buckets} mapping, checked for shape. */
    private Item readItem(String itemPath, boolean typed) throws IOException, PolicyException {
      Item item = new Item();
      Set<String> seen = new HashSet<>();
      while (nextField(seen, itemPath + ".")) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("key") || field.equals("why") || (typed && field.equals("type"))) {
          if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw error(itemPath + "." + field + ": expected a string"
                + (field.equals("type") ? " (one of " + AttributeType.Kind.policyNames() + ")" : ""));
          }
          if (field.equals("key")) {
            item.key = p.getText();
          } else if (field.equals("why")) {
            item.why = p.getText().trim();
          } else {
            item.kind = AttributeType.Kind.fromPolicyName(p.getText().trim());
            if (item.kind == null) {
              throw errorAt(keyLocation, itemPath + ".type: unknown type '" + p.getText() + "'; expected one of "
                  + AttributeType.Kind.policyNames());
            }
            item.typeLocation = keyLocation;
          }
        } else if (typed && field.equals("values")) {
          item.values = readScalarList(itemPath + ".values");
          item.valuesLocation = keyLocation;
        } else if (typed && field.equals("buckets")) {
          item.buckets = readNumberList(itemPath + ".buckets");
          item.bucketsLocation = keyLocation;
        } else if (typed) {
          throw unknownKey(itemPath + ".", field, "key", "why", "type", "values", "buckets");
        } else if (field.equals("type") || field.equals("values") || field.equals("buckets")) {
          throw errorAt(keyLocation, itemPath + "." + field + ": only allowed attributes have a type"
              + (itemPath.startsWith("attributes.hash") ? " (a hashed value is always sent as its keyed hash)" : "")
              + "; remove '" + field + "'");
        } else {
          throw unknownKey(itemPath + ".", field, "key", "why");
        }
      }
      return item;
    }

    /** A list of scalars, each read as its text ({@code [200, 404]} and {@code [true]} too). */
    private List<String> readScalarList(String path) throws IOException, PolicyException {
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw error(path + ": expected a list, e.g. [text, json]");
      }
      List<String> out = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (!p.currentToken().isScalarValue() || p.currentToken() == JsonToken.VALUE_NULL) {
          throw error(path + "[" + out.size() + "]: expected a word, e.g. json");
        }
        out.add(p.getText());
      }
      return out;
    }

    /** A list of numbers, kept as written so that int buckets can be told from number buckets. */
    private List<Number> readNumberList(String path) throws IOException, PolicyException {
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw error(path + ": expected a list of numbers, e.g. [1, 10, 100]");
      }
      List<Number> out = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
          if (p.getNumberType() != JsonParser.NumberType.INT && p.getNumberType() != JsonParser.NumberType.LONG) {
            throw error(path + "[" + out.size() + "]: " + p.getText() + " is too large");
          }
          out.add(p.getLongValue());
        } else if (p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
          out.add(p.getDoubleValue());
        } else {
          throw error(path + "[" + out.size() + "]: expected a number, e.g. [1, 10, 100]");
        }
      }
      return out;
    }

    /** What one list item says, before it is checked as a whole. */
    private final class Item {
      String key;
      String why = "";
      AttributeType.Kind kind;
      List<String> values;
      List<Number> buckets;
      int typeLocation = PolicyTokens.NO_LINE;
      int valuesLocation = PolicyTokens.NO_LINE;
      int bucketsLocation = PolicyTokens.NO_LINE;

      AttributeType type(String what) throws PolicyException {
        AttributeType.Kind k = kind == null ? AttributeType.Kind.TOKEN : kind;
        if (values != null && k != AttributeType.Kind.ENUM) {
          throw errorAt(valuesLocation, what + ": 'values' is only for type enum"
              + (kind == null ? "; add 'type: enum'" : ", not " + k.policyName()));
        }
        if (buckets != null && k != AttributeType.Kind.INT && k != AttributeType.Kind.NUMBER) {
          throw errorAt(bucketsLocation, what + ": 'buckets' is only for type int or number"
              + (kind == null ? "; add 'type: int' or 'type: number'" : ", not " + k.policyName()));
        }
        try {
          switch (k) {
            case ENUM:
              if (values == null) {
                throw errorAt(typeLocation, what + ": type enum needs its values, e.g. values: [text, json]");
              }
              return AttributeType.enumOf(values);
            case INT:
              if (buckets == null) {
                return AttributeType.integer();
              }
              List<Long> whole = new ArrayList<>();
              for (Number n : buckets) {
                if (!(n instanceof Long)) {
                  throw errorAt(bucketsLocation, what + ": int buckets must be whole numbers, not " + n
                      + " (use type: number for fractions)");
                }
                whole.add((Long) n);
              }
              return AttributeType.integer(whole);
            case NUMBER:
              if (buckets == null) {
                return AttributeType.number();
              }
              List<Double> fractional = new ArrayList<>();
              for (Number n : buckets) {
                fractional.add(n.doubleValue());
              }
              return AttributeType.number(fractional);
            case BOOL:
              return AttributeType.bool();
            case ROUTE:
              return AttributeType.route();
            case VERSION:
              return AttributeType.version();
            case TEXT:
              return AttributeType.text();
            default:
              return AttributeType.token();
          }
        } catch (IllegalArgumentException e) {
          int at = values != null ? valuesLocation : bucketsLocation != PolicyTokens.NO_LINE ? bucketsLocation : typeLocation;
          throw errorAt(at != PolicyTokens.NO_LINE ? at : itemStart, what + ": " + e.getMessage());
        }
      }
    }

    private List<String> readStringList(String path) throws IOException, PolicyException {
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw error(path + ": expected a list of strings");
      }
      List<String> out = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
          throw error(path + "[" + out.size() + "]: expected a string");
        }
        out.add(p.getText());
      }
      return out;
    }

    /** Advances to the next key of the current mapping; false at its end. Refuses a repeated key. */
    private boolean nextField(Set<String> seen, String prefix) throws IOException, PolicyException {
      if (p.nextToken() != JsonToken.FIELD_NAME) {
        return false;
      }
      keyLocation = p.line();
      if (!seen.add(p.currentName())) {
        throw errorAt(keyLocation, "key '" + prefix + p.currentName() + "' appears twice; merge the two into one");
      }
      return true;
    }

    private void expectMapping(String path) throws PolicyException {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw error(path + ": expected a mapping (indented keys under '" + path + ":')");
      }
    }

    private void apply(String path, Runnable change) throws PolicyException {
      try {
        change.run();
      } catch (IllegalArgumentException e) {
        throw error(path + ": " + e.getMessage());
      }
    }

    private PolicyException unknownKey(String prefix, String field, String... expected) {
      return errorAt(keyLocation, "unknown key '" + prefix + field + "'; expected one of " + String.join(", ", expected));
    }

    private PolicyException error(String message) {
      return errorAt(itemStart != PolicyTokens.NO_LINE ? itemStart : keyLocation != PolicyTokens.NO_LINE ? keyLocation : line(), message);
    }

    /** The current line, for an error; an answer the parser cannot give (it failed) is no line. */
    private int line() {
      try {
        return p.line();
      } catch (IOException | RuntimeException e) {
        return -1;
      }
    }

    private PolicyException errorAt(int loc, String message) {
      String line = loc < 1 ? "" : ", line " + loc;
      return new PolicyException("policy " + source + line + ": " + message);
    }
  }

  private interface EntrySink {
    void accept(String key, String why, AttributeType type);
  }
}
