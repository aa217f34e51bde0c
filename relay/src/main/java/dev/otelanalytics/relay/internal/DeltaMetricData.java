package dev.otelanalytics.relay.internal;

import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;

/**
 * A metric as the SDK's {@link MetricData}, for the usage-report exporter: the SDK's public API
 * has factories for the points and data, not for the metric itself. No description or unit: the
 * usage report never keeps them.
 */
final class DeltaMetricData implements MetricData {
  private final Resource resource;
  private final String name;
  private final MetricDataType type;
  private final Data<?> data;

  DeltaMetricData(Resource resource, String name, MetricDataType type, Data<?> data) {
    this.resource = resource;
    this.name = name;
    this.type = type;
    this.data = data;
  }

  @Override
  public Resource getResource() {
    return resource;
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return InstrumentationScopeInfo.empty();
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public String getDescription() {
    return "";
  }

  @Override
  public String getUnit() {
    return "";
  }

  @Override
  public MetricDataType getType() {
    return type;
  }

  @Override
  public Data<?> getData() {
    return data;
  }

  @Override
  public String toString() {
    return "DeltaMetricData{" + name + ", " + type + "}";
  }
}
