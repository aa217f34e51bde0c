"""A small Python service for the gateway end-to-end test.

It records what a real web service instrumented with the OpenTelemetry Python SDK records: one
server span per request (with a child span and an exception event), and a counter, then exports
them over OTLP/HTTP to the endpoint in OTEL_EXPORTER_OTLP_ENDPOINT (the gateway Collector). Every
value a privacy policy must stop is a canary: an e-mail address, a home path, an IP address, a
bearer token and a card number. The test checks that none of them reaches PostHog.

Usage: shop.py REQUESTS
"""
import sys

from opentelemetry import metrics, trace
from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode

CANARY_EMAIL = "alice.canary@example.com"
CANARY_HOME = "/home/alice-canary/orders.csv"
CANARY_IP = "203.0.113.77"
CANARY_TOKEN = "Bearer sk_live_CANARYa1b2c3d4e5f6g7h8i9j0"
CANARY_CARD = "4111111111111111"


def main():
    requests = int(sys.argv[1])
    resource = Resource.create({
        "service.name": "py-shop",
        "service.version": "2.4.1",
        "host.ip": CANARY_IP,
        "process.owner": CANARY_EMAIL,
    })
    tracer_provider = TracerProvider(resource=resource)
    tracer_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    reader = PeriodicExportingMetricReader(OTLPMetricExporter(), export_interval_millis=60_000)
    meter_provider = MeterProvider(resource=resource, metric_readers=[reader])
    tracer = tracer_provider.get_tracer("shop")
    orders = meter_provider.get_meter("shop").create_counter("app.orders.placed")

    for i in range(requests):
        with tracer.start_as_current_span("GET /orders/{id}", kind=SpanKind.SERVER) as span:
            span.set_attribute("http.route", "/orders/{id}")
            span.set_attribute("http.request.method", "GET")
            span.set_attribute("http.response.status_code", 200)
            span.set_attribute("enduser.id", CANARY_EMAIL)
            span.set_attribute("url.full", "https://shop.example/orders/42?email=" + CANARY_EMAIL)
            span.set_attribute("client.address", CANARY_IP)
            span.set_attribute("app.export.path", CANARY_HOME)
            span.set_attribute("http.request.header.authorization", CANARY_TOKEN)
            span.set_attribute("payment.card", CANARY_CARD)
            with tracer.start_as_current_span("SELECT orders", kind=SpanKind.CLIENT) as child:
                child.set_attribute("db.query.text", "SELECT * FROM orders WHERE email='" + CANARY_EMAIL + "'")
            try:
                raise ValueError("card " + CANARY_CARD + " declined for " + CANARY_EMAIL)
            except ValueError as e:
                span.record_exception(e)
                span.set_status(Status(StatusCode.ERROR))
        orders.add(1, {"app.order.channel": "web", "customer.email": CANARY_EMAIL, "client.ip": CANARY_IP})

    meter_provider.force_flush()
    tracer_provider.force_flush()
    meter_provider.shutdown()
    tracer_provider.shutdown()


if __name__ == "__main__":
    main()
