package com.posthog;

/**
 * Benchmark-only: the core configuration of a live posthog-server client, whose serializer (and
 * so whose Gson, with PostHog's own type adapters) encodes its batches. It is the protected field
 * {@code PostHogStateless.config}; Java's {@code protected} includes package access, so this class
 * reads it from package {@code com.posthog} without reflection. Used by WorkerCostBenchmark.
 */
public final class PostHogBenchmarkAccess {
  private PostHogBenchmarkAccess() {}

  /**
   * @param client a client made by {@code com.posthog.server.PostHog.with(config)}
   * @return the core configuration it encodes its batches with
   */
  public static PostHogConfig coreConfig(Object client) {
    return ((PostHogStateless) client).config;
  }
}
