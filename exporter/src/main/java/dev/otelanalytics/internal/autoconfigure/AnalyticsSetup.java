package dev.otelanalytics.internal.autoconfigure;

import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.OtelAnalyticsBuilder;
import dev.otelanalytics.UsageReportOptions;
import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.destination.ConsoleDestination;
import dev.otelanalytics.internal.LogText;
import dev.otelanalytics.internal.config.AnalyticsConfig;
import dev.otelanalytics.internal.config.ControlSettings;
import dev.otelanalytics.internal.config.DestinationType;
import dev.otelanalytics.internal.config.InvalidSettingException;
import dev.otelanalytics.internal.config.MetricsConfig;
import dev.otelanalytics.internal.config.PolicyCache;
import dev.otelanalytics.internal.config.SdkSettings;
import dev.otelanalytics.internal.state.StateDirectory;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts analytics from the settings, for the SDK autoconfigure and the Java agent: applies each
 * setting to {@link OtelAnalyticsBuilder}, whose {@code build()} makes the one on/off decision
 * that every entry point shares. Never throws: anything wrong leaves analytics off with one log
 * line naming the setting.
 */
public final class AnalyticsSetup {
  private static final Logger logger = Logger.getLogger(AnalyticsSetup.class.getName());

  private AnalyticsSetup() {}

  /**
   * Returns running analytics, or null when it is disabled, not for this service, opted out,
   * or misconfigured (the last logged as a warning).
   *
   * @param properties looks a setting up by property name ({@code otel.analytics.enabled})
   * @param environment looks an environment variable up by name ({@code DO_NOT_TRACK})
   * @param serviceName this service's {@code service.name}
   */
  public static OtelAnalytics create(Function<String, String> properties, Function<String, String> environment, String serviceName) {
    return create(properties, environment, serviceName, System.err);
  }

  /** As {@link #create(Function, Function, String)}, printing a first-run notice to {@code noticeOut}. */
  public static OtelAnalytics create(
      Function<String, String> properties, Function<String, String> environment, String serviceName, PrintStream noticeOut) {
    Started started = start(properties, environment, serviceName, noticeOut);
    return started == null ? null : started.analytics;
  }

  /** Running analytics and the usage-report options its settings ask for. */
  static final class Started {
    final OtelAnalytics analytics;
    final UsageReportOptions reportOptions;

    Started(OtelAnalytics analytics, UsageReportOptions reportOptions) {
      this.analytics = analytics;
      this.reportOptions = reportOptions;
    }
  }

  /** As {@link #create(Function, Function, String, PrintStream)}, with the usage-report options read once with the rest. */
  static Started start(
      Function<String, String> properties, Function<String, String> environment, String serviceName, PrintStream noticeOut) {
    try {
      // Cheap checks first: a service that has analytics off pays nothing for (and is never
      // warned about) the other settings.
      if (!AnalyticsConfig.isEnabled(properties)) {
        return null;
      }
      List<String> services = AnalyticsConfig.services(properties);
      if (!services.isEmpty() && !services.contains(serviceName)) {
        logger.fine("otel-analytics: off for service '" + serviceName + "' (not in OTEL_ANALYTICS_SERVICES)");
        return null;
      }
      PolicyCache policyCache = policyCache(properties, serviceName);
      AnalyticsConfig config = AnalyticsConfig.parse(properties, policyCache);
      OtelAnalytics analytics = builderFor(config, serviceName)
          .setSettings(new SdkSettings(properties, config.senderProcess() ? config.destinationSettings() : null,
              policyCache == null ? null : policyCache::saveIfNew))
          .setEnvironment(environment)
          .setNoticeOutput(noticeOut)
          .build();
      if (analytics.level() == AnalyticsLevel.OFF) {
        return null;
      }
      logger.fine("otel-analytics: on for service '" + serviceName + "', level " + analytics.level().settingValue()
          + ", destination " + analytics.destinationName() + ", state directory " + LogText.path(analytics.stateDirectory()));
      return new Started(analytics, reportOptions(config.metrics()));
    } catch (InvalidSettingException e) {
      logger.warning("otel-analytics is off: " + e.getMessage());
      return null;
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      // The class only: a message could hold anything. A linkage error's message is a class name, which helps.
      String detail = t instanceof LinkageError && t.getMessage() != null ? " (" + t.getMessage().replace('\n', ' ') + ")" : "";
      logger.log(Level.WARNING, "otel-analytics is off: unexpected " + t.getClass().getName() + detail + " while starting;"
          + " check that all of otel-analytics' dependencies are on the class path");
      return null;
    }
  }

  /** The compiled policy of this service's state directory, or null when there is no usable one. */
  private static PolicyCache policyCache(Function<String, String> properties, String serviceName)
      throws InvalidSettingException {
    StateDirectory state = StateDirectory.resolve(ControlSettings.parse(properties).stateDir(), serviceName);
    return state.problem() == null ? new PolicyCache(state.policyCacheFile()) : null;
  }

  /**
   * Every setting applied to a builder; the state directory stays the builder's to resolve. Also
   * used by the OTLP relay, which starts its analytics from the same settings.
   */
  public static OtelAnalyticsBuilder builderFor(AnalyticsConfig config, String serviceName) {
    OtelAnalyticsBuilder builder = OtelAnalytics.builder()
        .setServiceName(serviceName)
        .setLocalRetention(config.localRetention())
        .setPolicy(config.policy())
        .setDebug(config.debug())
        .setEventPrefix(config.eventPrefix())
        .setQueueSize(config.queueSize())
        .setBatchSize(config.batchSize())
        .setFlushInterval(config.flushInterval())
        .setShutdownTimeout(config.shutdownTimeout())
        .setOutboxMaxSize(config.outboxMaxBytes());
    if (config.stateDir() != null) {
      builder.setStateDirectory(config.stateDir());
    }
    byte[] key = config.hashKey();
    if (key != null) {
      builder.setHashKey(key);
    }
    if (config.destination() == DestinationType.CONSOLE) {
      builder.setDestination(ConsoleDestination.create());
    } else if (config.postHogDestination() != null) {
      builder.setDestination(config.postHogDestination());
    } else if (config.ga4Destination() != null) {
      builder.setDestination(config.ga4Destination());
    }
    // Otherwise the local store (the file destination): the default. At level local the builder
    // keeps a remote destination's events in the local store too.
    return builder;
  }

  /** The exporter options the usage-report settings ask for (the noise; the rest is in the policy). */
  public static UsageReportOptions reportOptions(MetricsConfig metrics) {
    UsageReportOptions.Builder options = UsageReportOptions.builder();
    if (metrics.noiseEpsilon() > 0) {
      options.setNoise(metrics.noiseEpsilon(), metrics.noiseSensitivity());
    }
    return options.build();
  }

  /** {@code DO_NOT_TRACK} → {@code do.not.track}: how OpenTelemetry's config names an environment variable. */
  static String propertyNameOf(String environmentVariable) {
    return environmentVariable.toLowerCase(Locale.ROOT).replace('_', '.');
  }
}
