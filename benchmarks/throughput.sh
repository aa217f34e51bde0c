#!/usr/bin/env bash
# End-to-end delivery of a burst of events, otel-analytics against posthog-server 2.3.0, to a
# PostHog-compatible server on loopback (see ThroughputRun's Javadoc for what is measured).
# Runs interleaved, one client per JVM: for each round, each scenario: ours, then posthog.
#
#   benchmarks/throughput.sh                       # 2 rounds; scenarios: normal, 12 s stall
#   ROUNDS=3 STALLS="0" benchmarks/throughput.sh --events 100000
#   benchmarks/throughput.sh --queue 200000 --outbox-mib 256   # options go to every run (--queue
#                                                               # and --outbox-mib concern ours only)
#
# Environment: ROUNDS (default 2), STALLS (stall seconds per scenario, default "0 12"),
# JAVA (default java), JAVA_OPTS (default none), JAR (default benchmarks/target/benchmarks.jar).
# Every CSV line is also kept in benchmarks/target/throughput-<time>.csv.
set -euo pipefail

cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-2}"
STALLS="${STALLS:-0 12}"
JAVA="${JAVA:-java}"
JAR="${JAR:-benchmarks/target/benchmarks.jar}"
read -r -a JAVA_OPTS_ARRAY <<< "${JAVA_OPTS:-}"

if [[ ! -f "$JAR" ]]; then
  echo "no $JAR: build it first: mvn -q -B -pl benchmarks -am package -DskipTests" >&2
  exit 1
fi
# The runs must see analytics as a user who has not opted out would.
unset DO_NOT_TRACK OTEL_SDK_DISABLED OTEL_ANALYTICS_ENABLED OTEL_ANALYTICS_LEVEL OTEL_ANALYTICS_STATE_DIR \
  OTEL_ANALYTICS_DESTINATION OTEL_ANALYTICS_SERVICES OTEL_SERVICE_NAME OTEL_RESOURCE_ATTRIBUTES

out="benchmarks/target/throughput-$(date -u +%Y%m%dT%H%M%SZ).csv"
first=1
for round in $(seq 1 "$ROUNDS"); do
  for stall in $STALLS; do
    for client in ours posthog; do
      echo "round $round, stall ${stall}s, $client ..." >&2
      args=("$client" --stall-seconds "$stall" "$@")
      if [[ $first == 1 ]]; then
        args+=(--csv-header)
        first=0
      fi
      "$JAVA" "${JAVA_OPTS_ARRAY[@]}" -cp "$JAR" dev.otelanalytics.benchmarks.ThroughputRun "${args[@]}" \
        | tee -a "$out" | grep -v '^csv' >&2
    done
  done
done

echo
echo "raw lines: $out"
# client_us/ev: process CPU without the server's threads, per event delivered; per produced: per event produced.
grep '^csv' "$out" | awk -F, '
  function row(a, b, c, d, e, f, g, h, i, j, k, l, m) {
    printf "%-8s %5s %8s %9s %9s %9s %9s %9s %12s %12s %9s %12s %9s\n", a, b, c, d, e, f, g, h, i, j, k, l, m
  }
  NR == 1 {
    for (i = 1; i <= NF; i++) col[$i] = i
    row("client", "stall", "queue", "produce", "wall_ms", "delivered", "lost", "events/s", "client_us/ev", "us/produced",
      "heap_MiB", "q_full_drop", "stopped")
    next
  }
  {
    row($col["client"], $col["stall_s"], $col["queue"], $col["produce_ms"], $col["wall_ms"], $col["delivered"], $col["lost"],
      $col["events_per_s"], $col["client_cpu_us_per_event"], $col["client_cpu_us_per_produced"], $col["heap_peak_mib"],
      ($col["dropped_queue_full"] == "" ? "-" : $col["dropped_queue_full"]), $col["stopped_by"])
  }'
