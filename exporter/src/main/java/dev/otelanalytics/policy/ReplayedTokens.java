package dev.otelanalytics.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Plays back the answers a {@link ParserTokens} logged: the policy reader, which asks the same
 * questions in the same order of the same answers, reads the same policy, without the YAML parser
 * or even Jackson's factory. A question out of order, or a log cut short, fails: the caller then
 * reads the YAML.
 */
final class ReplayedTokens implements PolicyTokens {
  private final String log;
  private int at;

  ReplayedTokens(String log) {
    this.log = log;
  }

  @Override
  public JsonToken nextToken() {
    return token('n');
  }

  @Override
  public JsonToken currentToken() {
    return token('c');
  }

  @Override
  public String currentName() {
    return text('m');
  }

  @Override
  public String getText() {
    return text('t');
  }

  @Override
  public int getIntValue() {
    return Integer.parseInt(answer('i'));
  }

  @Override
  public long getLongValue() {
    return Long.parseLong(answer('l'));
  }

  @Override
  public double getDoubleValue() {
    return Double.longBitsToDouble(Long.parseUnsignedLong(answer('d'), 16));
  }

  @Override
  public JsonParser.NumberType getNumberType() {
    String name = answer('y');
    return name.isEmpty() ? null : JsonParser.NumberType.valueOf(name);
  }

  @Override
  public int line() {
    return Integer.parseInt(answer('L'));
  }

  /** Whether every answer was asked for: a log with answers left over was not this reading's. */
  boolean finished() {
    return at == log.length();
  }

  private JsonToken token(char question) {
    String name = answer(question);
    return name.isEmpty() ? null : JsonToken.valueOf(name);
  }

  private String text(char question) {
    String answer = answer(question);
    if (answer.equals("-")) {
      return null;
    }
    if (answer.isEmpty() || answer.charAt(0) != '=') {
      throw new IllegalStateException("not a text answer");
    }
    return unescape(answer, 1);
  }

  /** The next answer, which must be to {@code question}. */
  private String answer(char question) {
    int end = log.indexOf('\n', at);
    if (end < 0 || log.charAt(at) != question) {
      throw new IllegalStateException("the compiled policy does not answer this reading");
    }
    String answer = log.substring(at + 1, end);
    at = end + 1;
    return answer;
  }

  /** Writes {@code text} with backslash, newline and carriage return escaped, so that an answer is one line. */
  static void escape(String text, StringBuilder out) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        out.append("\\\\");
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else {
        out.append(c);
      }
    }
  }

  private static String unescape(String text, int from) {
    StringBuilder out = new StringBuilder(text.length() - from);
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (++i == text.length()) {
        throw new IllegalStateException("a cut escape");
      }
      char e = text.charAt(i);
      out.append(e == 'n' ? '\n' : e == 'r' ? '\r' : e);
    }
    return out.toString();
  }
}
