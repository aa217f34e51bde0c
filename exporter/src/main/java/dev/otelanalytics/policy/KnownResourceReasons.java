package dev.otelanalytics.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a well-known resource attribute is collected, for a policy that lists it without a
 * {@code why}. The privacy statement then still says why; any other key must state its reason.
 */
final class KnownResourceReasons {
  private static final Map<String, String> REASONS = new LinkedHashMap<>();

  static {
    REASONS.put("service.name", "which of your services or tools sent the event");
    REASONS.put("service.version", "which version is in use, to know when old versions can be retired");
    REASONS.put("os.type", "which operating systems to support");
    REASONS.put("os.version", "which operating system versions to support");
    REASONS.put("host.arch", "which processor architectures to support");
    REASONS.put("process.runtime.name", "which Java runtimes to support");
    REASONS.put("process.runtime.version", "which Java versions to support");
    REASONS.put("deployment.environment.name", "to tell production use from testing");
  }

  private KnownResourceReasons() {}

  /** The reason for {@code key}, or null when it is not a well-known key. */
  static String of(String key) {
    return REASONS.get(key);
  }

  /** The well-known keys, for error messages. */
  static String keys() {
    return String.join(", ", REASONS.keySet());
  }
}
