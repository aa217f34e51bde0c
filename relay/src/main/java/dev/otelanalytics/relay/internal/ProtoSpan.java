package dev.otelanalytics.relay.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A finished span received over OTLP, as the SDK's {@link ReadableSpan} and {@link SpanData}, so
 * that it goes through the analytics span processor's selection and the worker's mapping exactly
 * as a span of this process would. What selection needs (ids, parent, name, kind) is read at once
 * on the HTTP thread; attributes and events are converted on first use, on the delivery worker.
 *
 * <p>Whether the parent is remote (what {@code local-root} selection asks): the span's
 * {@code flags} say it when bit 0x100 (HAS_IS_REMOTE) is set, bit 0x200 (IS_REMOTE) giving the
 * answer. When the sender does not say (older SDKs, the Collector passing on what it got), a span
 * with a parent counts as having a remote parent when its kind is SERVER or CONSUMER: those begin a
 * service's part of a trace. A span without a parent is always a root.
 *
 * <p>Links and the status description are not carried: nothing in an analytics event comes from them.
 */
public final class ProtoSpan implements ReadableSpan, SpanData {
  static final int HAS_IS_REMOTE = 0x100;
  static final int IS_REMOTE = 0x200;

  private final Span proto;
  private final Resource resource;
  private final InstrumentationScopeInfo scope;
  private final SpanContext spanContext;
  private final SpanContext parentContext;
  private final SpanKind kind;
  private volatile Attributes attributes;
  private volatile List<EventData> events;

  private ProtoSpan(Span proto, Resource resource, InstrumentationScopeInfo scope, SpanContext spanContext,
      SpanContext parentContext, SpanKind kind) {
    this.proto = proto;
    this.resource = resource;
    this.scope = scope;
    this.spanContext = spanContext;
    this.parentContext = parentContext;
    this.kind = kind;
  }

  /**
   * The span, or null when it cannot be one: a trace id that is not 16 bytes or a span id that is
   * not 8 bytes (or either all zero), a parent span id that is neither empty nor 8 bytes, or no end time.
   */
  public static ProtoSpan of(Span proto, Resource resource, InstrumentationScopeInfo scope) {
    String traceId = Hex.of(proto.getTraceId().toByteArray());
    String spanId = Hex.of(proto.getSpanId().toByteArray());
    int flags = proto.getFlags();
    TraceFlags traceFlags = TraceFlags.fromByte((byte) (flags & 0xff));
    SpanContext context = SpanContext.create(traceId, spanId, traceFlags, TraceState.getDefault());
    if (!context.isValid() || proto.getTraceId().size() != 16 || proto.getSpanId().size() != 8
        || proto.getEndTimeUnixNano() == 0) {
      return null;
    }
    SpanKind kind = kind(proto.getKind());
    SpanContext parent;
    if (proto.getParentSpanId().isEmpty()) {
      parent = SpanContext.getInvalid();
    } else {
      if (proto.getParentSpanId().size() != 8) {
        return null;
      }
      String parentId = Hex.of(proto.getParentSpanId().toByteArray());
      boolean remote = (flags & HAS_IS_REMOTE) != 0 ? (flags & IS_REMOTE) != 0 : kind == SpanKind.SERVER || kind == SpanKind.CONSUMER;
      parent = remote
          ? SpanContext.createFromRemoteParent(traceId, parentId, traceFlags, TraceState.getDefault())
          : SpanContext.create(traceId, parentId, traceFlags, TraceState.getDefault());
    }
    return new ProtoSpan(proto, resource, scope, context, parent, kind);
  }

  private static SpanKind kind(Span.SpanKind kind) {
    switch (kind) {
      case SPAN_KIND_SERVER:
        return SpanKind.SERVER;
      case SPAN_KIND_CLIENT:
        return SpanKind.CLIENT;
      case SPAN_KIND_PRODUCER:
        return SpanKind.PRODUCER;
      case SPAN_KIND_CONSUMER:
        return SpanKind.CONSUMER;
      default:
        return SpanKind.INTERNAL;
    }
  }

  @Override
  public SpanContext getSpanContext() {
    return spanContext;
  }

  @Override
  public SpanContext getParentSpanContext() {
    return parentContext;
  }

  @Override
  public String getName() {
    return proto.getName();
  }

  @Override
  public SpanData toSpanData() {
    return this;
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return scope;
  }

  /** The scope as the SDK's deprecated type, which both interfaces still declare. */
  @Deprecated
  @Override
  public io.opentelemetry.sdk.common.InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
    return io.opentelemetry.sdk.common.InstrumentationLibraryInfo.create(scope.getName(), scope.getVersion());
  }

  @Override
  public boolean hasEnded() {
    return true;
  }

  @Override
  public long getLatencyNanos() {
    return Math.max(0, getEndEpochNanos() - getStartEpochNanos());
  }

  @Override
  public SpanKind getKind() {
    return kind;
  }

  @Override
  public <T> T getAttribute(AttributeKey<T> key) {
    return getAttributes().get(key);
  }

  @Override
  public Attributes getAttributes() {
    Attributes converted = attributes;
    if (converted == null) {
      converted = ProtoAttributes.of(proto.getAttributesList());
      attributes = converted;
    }
    return converted;
  }

  @Override
  public StatusData getStatus() {
    Status status = proto.getStatus();
    switch (status.getCode()) {
      case STATUS_CODE_ERROR:
        return StatusData.error();
      case STATUS_CODE_OK:
        return StatusData.ok();
      default:
        return StatusData.unset();
    }
  }

  @Override
  public long getStartEpochNanos() {
    return proto.getStartTimeUnixNano();
  }

  @Override
  public long getEndEpochNanos() {
    return proto.getEndTimeUnixNano();
  }

  @Override
  public List<EventData> getEvents() {
    List<EventData> converted = events;
    if (converted == null) {
      if (proto.getEventsCount() == 0) {
        converted = Collections.emptyList();
      } else {
        List<EventData> out = new ArrayList<>(proto.getEventsCount());
        for (Span.Event e : proto.getEventsList()) {
          out.add(EventData.create(e.getTimeUnixNano(), e.getName(), ProtoAttributes.of(e.getAttributesList()),
              e.getAttributesCount() + e.getDroppedAttributesCount()));
        }
        converted = Collections.unmodifiableList(out);
      }
      events = converted;
    }
    return converted;
  }

  @Override
  public List<LinkData> getLinks() {
    return Collections.emptyList();
  }

  @Override
  public int getTotalRecordedEvents() {
    return proto.getEventsCount() + proto.getDroppedEventsCount();
  }

  @Override
  public int getTotalRecordedLinks() {
    return proto.getLinksCount() + proto.getDroppedLinksCount();
  }

  @Override
  public int getTotalAttributeCount() {
    return proto.getAttributesCount() + proto.getDroppedAttributesCount();
  }

  @Override
  public Resource getResource() {
    return resource;
  }

  /** Ids and kind only: a span's name or attributes may hold anything and must not reach a log. */
  @Override
  public String toString() {
    return "ProtoSpan{traceId=" + spanContext.getTraceId() + ", spanId=" + spanContext.getSpanId() + ", kind=" + kind + "}";
  }
}
