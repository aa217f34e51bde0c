package dev.otelanalytics.autoconfigure;

import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.OtelAnalyticsBuilder;
import dev.otelanalytics.config.AnalyticsConfig;
import dev.otelanalytics.config.DestinationType;
import dev.otelanalytics.config.InvalidSettingException;
import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.consent.Consent;
import dev.otelanalytics.consent.StateDirectories;
import dev.otelanalytics.consent.UserChoices;
import dev.otelanalytics.destination.ConsoleDestination;
import dev.otelanalytics.internal.LogText;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides from the settings whether analytics runs for this service and builds it. Never
 * throws: anything wrong leaves analytics off with one log line naming the setting.
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
    try {
      if (!AnalyticsConfig.isEnabled(properties)) {
        return null;
      }
      List<String> services = AnalyticsConfig.services(properties);
      if (!services.isEmpty() && !services.contains(serviceName)) {
        logger.fine("otel-analytics: off for service '" + serviceName + "' (not in OTEL_ANALYTICS_SERVICES)");
        return null;
      }
      AnalyticsConfig config = AnalyticsConfig.parse(properties);
      Path stateDir = stateDirectory(config, serviceName);
      // Reading the stored choices creates nothing: a run that ends up "off" writes nothing at all.
      UserChoices choices = new UserChoices(stateDir);
      Consent consent = Consent.evaluate(config.level(), environment, config.optOutEnv(), choices.storedLevel());
      if (consent.level() == AnalyticsLevel.OFF) {
        logger.fine("otel-analytics: off (" + String.join(", ", consent.reasons()) + ")");
        return null;
      }
      if (config.notice() != null && !choices.noticeShown()) {
        noticeOut.println(config.notice());
        noticeOut.flush();
        consent = consent.limitedTo(AnalyticsLevel.LOCAL, FIRST_RUN_REASON);
        if (!choices.recordNoticeShown()) {
          logger.warning("otel-analytics: the first-run notice cannot be recorded in " + LogText.path(stateDir)
              + ", so nothing will ever be sent from here; set OTEL_ANALYTICS_STATE_DIR to a writable directory");
        }
      }
      return build(config, serviceName, stateDir, consent.level());
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

  /** Why a run that showed the first-run notice sends nothing. */
  public static final String FIRST_RUN_REASON = "the first-run notice was shown in this run; sending starts with the next run";

  /** The configured state directory, or the platform default for this service. */
  public static Path stateDirectory(AnalyticsConfig config, String serviceName) {
    return config.stateDir() != null ? config.stateDir() : StateDirectories.defaultFor(serviceName);
  }

  private static OtelAnalytics build(AnalyticsConfig config, String serviceName, Path stateDir, AnalyticsLevel level) {
    OtelAnalyticsBuilder builder = OtelAnalytics.builder()
        .setServiceName(serviceName)
        .setStateDirectory(stateDir)
        .setLocalRetention(config.localRetention())
        .setPolicy(config.policy())
        .setDebug(config.debug())
        .setEventPrefix(config.eventPrefix())
        .setQueueSize(config.queueSize())
        .setBatchSize(config.batchSize())
        .setFlushInterval(config.flushInterval())
        .setShutdownTimeout(config.shutdownTimeout())
        .setOutboxMaxSize(config.outboxMaxBytes());
    byte[] key = config.hashKey();
    if (key != null) {
      builder.setHashKey(key);
    }
    if (config.destination() == DestinationType.CONSOLE) {
      builder.setDestination(ConsoleDestination.create());
    } else if (level == AnalyticsLevel.ANONYMOUS && config.postHogDestination() != null) {
      builder.setDestination(config.postHogDestination());
    } else if (level == AnalyticsLevel.ANONYMOUS && config.ga4Destination() != null) {
      builder.setDestination(config.ga4Destination());
    }
    // Otherwise the local store (the file destination): the default, and what level "local" means.
    OtelAnalytics analytics = builder.build();
    logger.fine("otel-analytics: on for service '" + serviceName + "', level " + level.settingValue()
        + ", destination " + analytics.destinationName() + ", state directory " + LogText.path(analytics.stateDirectory()));
    return analytics;
  }

  /** {@code DO_NOT_TRACK} → {@code do.not.track}: how OpenTelemetry's config names an environment variable. */
  static String propertyNameOf(String environmentVariable) {
    return environmentVariable.toLowerCase(Locale.ROOT).replace('_', '.');
  }
}
