package dev.otelanalytics.internal.guard;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Attribute keys that no policy can keep, not even as a hash: free text that carries personal
 * data (exception messages, full URLs, queries, statements and their parameters, command lines),
 * network and hardware addresses, user names and e-mails, headers and user agents. Errors are
 * reported by exception class only. (To count distinct users, hash {@code enduser.id}: see
 * {@link #alternativeTo}.)
 */
public final class NeverKeptKeys {
  private static final Set<String> KEYS =
      Collections.unmodifiableSet(
          new LinkedHashSet<>(
              Arrays.asList(
                  "exception.message",
                  "exception.stacktrace",
                  "url.full",
                  "url.query",
                  "db.statement",
                  "db.query.text",
                  "client.address",
                  "client.socket.address",
                  "network.peer.address",
                  "source.address",
                  "user_agent.original",
                  "url.original",
                  "db.connection_string",
                  "host.ip",
                  "host.mac",
                  "process.owner",
                  "process.command_line",
                  "process.command_args",
                  "user.email",
                  "user.full_name",
                  "user.name",
                  // Older semantic-convention names for the same data.
                  "http.url",
                  "http.target",
                  "http.client_ip",
                  "http.user_agent",
                  "net.peer.ip",
                  "net.sock.peer.addr")));

  /**
   * The never-kept keys that name a person (an e-mail, a user name): the question behind them,
   * "how many people", is answered by hashing an opaque id instead. Not addresses, paths or text.
   */
  private static final Set<String> IDENTIFY_A_PERSON =
      Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList("user.email", "user.full_name", "user.name", "process.owner")));

  private static final String[] HEADER_PREFIXES = {
    "http.request.header.", "http.response.header.", "rpc.request.metadata.", "rpc.response.metadata.",
    "rpc.grpc.request.metadata.", "rpc.grpc.response.metadata.", "db.query.parameter.", "db.operation.parameter."
  };

  /** The never-kept keys in plain words, for people. */
  public static final String PLAIN_DESCRIPTION = "exception messages and stack traces, full URLs and query strings,"
      + " database statements and their parameters, network and hardware addresses, user names and e-mail addresses,"
      + " command lines, user agents, and HTTP headers or RPC metadata";

  private NeverKeptKeys() {}

  /** True when {@code key} may never leave the process, under any policy. */
  public static boolean isNeverKept(String key) {
    if (KEYS.contains(key)) {
      return true;
    }
    String lower = key.toLowerCase(Locale.ROOT);
    if (KEYS.contains(lower)) {
      return true;
    }
    for (String prefix : HEADER_PREFIXES) {
      if (lower.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * What to collect instead of never-kept {@code key}, in a few words for an error message; null
   * when there is nothing to suggest (it must simply go).
   */
  public static String alternativeTo(String key) {
    if (!IDENTIFY_A_PERSON.contains(key.toLowerCase(Locale.ROOT))) {
      return null;
    }
    return "to count distinct users, hash an id instead: attributes.hash: [{key: enduser.id, why: \"count distinct users\"}]"
        + " in the policy, or OTEL_ANALYTICS_HASHED_ATTRIBUTES=enduser.id";
  }

  /** The fixed keys, for the privacy statement. */
  public static Set<String> keys() {
    return KEYS;
  }

  /** The header key prefixes (every header is never kept), for the privacy statement. */
  public static String[] headerPrefixes() {
    return HEADER_PREFIXES.clone();
  }
}
