package dev.otelanalytics.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * What the policy reader asks of its token stream, and nothing more: a YAML parser's
 * ({@link ParserTokens}), or the replay of one such reading ({@link ReplayedTokens}).
 */
interface PolicyTokens {
  /** {@link #line()} before any token: errors then name no line. */
  int NO_LINE = Integer.MIN_VALUE;

  JsonToken nextToken() throws IOException;

  JsonToken currentToken();

  String currentName() throws IOException;

  String getText() throws IOException;

  int getIntValue() throws IOException;

  long getLongValue() throws IOException;

  double getDoubleValue() throws IOException;

  JsonParser.NumberType getNumberType() throws IOException;

  /** The current token's line (1-based), or a negative number when unknown. */
  int line() throws IOException;
}
