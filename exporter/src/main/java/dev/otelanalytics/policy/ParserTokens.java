package dev.otelanalytics.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * A Jackson parser's tokens, each answer also written to a log when one is kept: the log, played
 * back by {@link ReplayedTokens}, gives the policy reader the very same answers without the
 * parser. One line per answer: a letter for the question, then the answer.
 */
final class ParserTokens implements PolicyTokens {
  private final JsonParser p;
  private final StringBuilder log;

  /** @param log receives every answer, or null to keep none */
  ParserTokens(JsonParser p, StringBuilder log) {
    this.p = p;
    this.log = log;
  }

  @Override
  public JsonToken nextToken() throws IOException {
    return token('n', p.nextToken());
  }

  @Override
  public JsonToken currentToken() {
    return token('c', p.currentToken());
  }

  @Override
  public String currentName() throws IOException {
    return text('m', p.currentName());
  }

  @Override
  public String getText() throws IOException {
    return text('t', p.getText());
  }

  @Override
  public int getIntValue() throws IOException {
    int value = p.getIntValue();
    record('i', Integer.toString(value));
    return value;
  }

  @Override
  public long getLongValue() throws IOException {
    long value = p.getLongValue();
    record('l', Long.toString(value));
    return value;
  }

  @Override
  public double getDoubleValue() throws IOException {
    double value = p.getDoubleValue();
    record('d', Long.toHexString(Double.doubleToRawLongBits(value)));
    return value;
  }

  @Override
  public JsonParser.NumberType getNumberType() throws IOException {
    JsonParser.NumberType type = p.getNumberType();
    record('y', type == null ? "" : type.name());
    return type;
  }

  @Override
  public int line() {
    int line = p.currentTokenLocation().getLineNr();
    record('L', Integer.toString(line));
    return line;
  }

  private JsonToken token(char question, JsonToken token) {
    record(question, token == null ? "" : token.name());
    return token;
  }

  private String text(char question, String text) {
    if (log != null) {
      log.append(question).append(text == null ? '-' : '=');
      if (text != null) {
        ReplayedTokens.escape(text, log);
      }
      log.append('\n');
    }
    return text;
  }

  private void record(char question, String answer) {
    if (log != null) {
      log.append(question).append(answer).append('\n');
    }
  }
}
