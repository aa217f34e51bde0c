package dev.otelanalytics.internal.ga4;

import dev.otelanalytics.internal.scrub.AttributeScrubber;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Google Analytics 4 Measurement Protocol limits, enforced before sending because the
 * production endpoint answers 2xx even to data it then discards. Names are normalised (dots,
 * dashes and spaces become {@code _}; a reserved name gets the {@value #RESERVED_NAME_PREFIX}
 * prefix), values are cut, and what cannot be fixed is dropped and counted.
 */
public final class Ga4Rules {
  public static final int MAX_EVENTS_PER_REQUEST = 25;
  /** The body must be smaller than 130 kB. */
  public static final int MAX_BODY_BYTES = 130_000;
  public static final int MAX_NAME_LENGTH = 40;
  public static final int MAX_PARAMS_PER_EVENT = 25;
  public static final int MAX_PARAM_VALUE_LENGTH = 100;
  public static final int MAX_USER_PROPERTIES = 25;
  public static final int MAX_USER_PROPERTY_NAME_LENGTH = 24;
  public static final int MAX_USER_PROPERTY_VALUE_LENGTH = 36;
  /** Events older than this are not accepted. */
  public static final long MAX_AGE_HOURS = 72;
  /** Put in front of a name that is reserved or does not start with a letter. */
  public static final String RESERVED_NAME_PREFIX = "app_";

  private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
  private static final List<String> RESERVED_PREFIXES = Collections.unmodifiableList(
      Arrays.asList("_", "ga_", "google_", "firebase_"));
  private static final Set<String> RESERVED_EVENT_NAMES = Collections.unmodifiableSet(new HashSet<>(Arrays.asList(
      "ad_activeview", "ad_click", "ad_exposure", "ad_query", "ad_reward", "adunit_exposure", "app_background",
      "app_clear_data", "app_exception", "app_remove", "app_store_refund", "app_store_subscription_cancel",
      "app_store_subscription_convert", "app_store_subscription_renew", "app_update", "app_upgrade",
      "dynamic_link_app_open", "dynamic_link_app_update", "dynamic_link_first_open", "error", "first_open",
      "first_visit", "in_app_purchase", "notification_dismiss", "notification_foreground", "notification_open",
      "notification_receive", "os_update", "session_start", "session_start_with_rollout", "user_engagement")));

  private Ga4Rules() {}

  /** The reserved event names, for documentation and tests. */
  public static Set<String> reservedEventNames() {
    return RESERVED_EVENT_NAMES;
  }

  /** True when {@code name} is acceptable as an event name as it is. */
  public static boolean isValidEventName(String name) {
    return isValidName(name, MAX_NAME_LENGTH) && !RESERVED_EVENT_NAMES.contains(name.toLowerCase(Locale.ROOT));
  }

  /** True when {@code name} is acceptable as a parameter name as it is. */
  public static boolean isValidParamName(String name) {
    return isValidName(name, MAX_NAME_LENGTH);
  }

  /** True when {@code name} is acceptable as a user property name as it is. */
  public static boolean isValidUserPropertyName(String name) {
    return isValidName(name, MAX_USER_PROPERTY_NAME_LENGTH);
  }

  private static boolean isValidName(String name, int maxLength) {
    if (name == null || name.length() > maxLength || !VALID_NAME.matcher(name).matches()) {
      return false;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    for (String prefix : RESERVED_PREFIXES) {
      if (lower.startsWith(prefix)) {
        return false;
      }
    }
    return true;
  }

  /** {@code cli.command} → {@code cli_command}; {@code error} → {@code app_error}; null when nothing usable is left. */
  public static String eventName(String raw) {
    String name = normalise(raw, MAX_NAME_LENGTH);
    if (name != null && RESERVED_EVENT_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
      name = cut(RESERVED_NAME_PREFIX + name, MAX_NAME_LENGTH);
    }
    return name;
  }

  /** A parameter name normalised the same way; null when nothing usable is left. */
  public static String paramName(String raw) {
    return normalise(raw, MAX_NAME_LENGTH);
  }

  /**
   * A parameter value GA4 accepts: numbers as they are, strings cut to 100 characters, booleans
   * as {@code "true"}/{@code "false"}, lists joined with commas (then cut); null for anything else.
   */
  public static Object paramValue(Object value) {
    if (value instanceof Long || value instanceof Integer) {
      return ((Number) value).longValue();
    }
    if (value instanceof Double) {
      double d = (Double) value;
      return Double.isNaN(d) || Double.isInfinite(d) ? null : value;
    }
    if (value instanceof Boolean) {
      return value.toString();
    }
    if (value instanceof String) {
      return cut((String) value, MAX_PARAM_VALUE_LENGTH);
    }
    if (value instanceof List) {
      StringBuilder joined = new StringBuilder();
      for (Object element : (List<?>) value) {
        if (joined.length() > 0) {
          joined.append(',');
        }
        joined.append(element);
      }
      return cut(joined.toString(), MAX_PARAM_VALUE_LENGTH);
    }
    return null;
  }

  private static String normalise(String raw, int maxLength) {
    if (raw == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      boolean word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (word) {
        out.append(c);
      } else if (out.length() > 0 && out.charAt(out.length() - 1) != '_') {
        out.append('_');
      }
    }
    while (out.length() > 0 && out.charAt(out.length() - 1) == '_') {
      out.setLength(out.length() - 1);
    }
    if (out.length() == 0) {
      return null;
    }
    String name = out.toString();
    if (!Character.isLetter(name.charAt(0)) || hasReservedPrefix(name)) {
      name = RESERVED_NAME_PREFIX + name;
    }
    return cut(name, maxLength);
  }

  private static boolean hasReservedPrefix(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String prefix : RESERVED_PREFIXES) {
      if (lower.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static String cut(String text, int max) {
    return AttributeScrubber.cut(text, max);
  }
}
