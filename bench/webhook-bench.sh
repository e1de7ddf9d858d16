#!/usr/bin/env bash
# Admission webhook benchmark: the operator's AdmissionServer (TLS, in-memory lookup holding one
# ModelValidation) in its own JVM on 127.0.0.1, driven by real AdmissionReview requests at a fixed
# rate from a second JVM. Prints throughput, p50/p99 latency and the server process RSS.
# Goals: p99 <= 10 ms at 500 requests/s on 2 cores, RSS <= 200 MB.
#
# usage: bench/webhook-bench.sh [rate/s (500)] [seconds (20)]
# env:   WARMUP_SECONDS (default 10, at the same rate, not measured)
#        SERVER_JAVA_OPTS (default below: a small-footprint setting, as the Deployment should use)
#        SERVER_MALLOC_ARENA_MAX (default 2: fewer glibc malloc arenas, lower RSS)
set -euo pipefail

RATE=${1:-500}
SECONDS_TO_RUN=${2:-20}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:--XX:+UseSerialGC -Xms16m -Xmx64m -XX:MaxMetaspaceSize=80m -Xss512k -XX:TrimNativeHeapInterval=5000}

cd "$ROOT"
echo "building test classes and the classpath..."
./mvnw -B -q -pl operator -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
CP="operator/target/test-classes:operator/target/classes:$(cat operator/target/bench.classpath)"

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# shellcheck disable=SC2086
MALLOC_ARENA_MAX=${SERVER_MALLOC_ARENA_MAX:-2} "$JAVA" $SERVER_JAVA_OPTS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" \
  dev.modelvalidation.operator.bench.BenchServer "$WORK" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 200); do
  [[ -f "$WORK/port" ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; echo "server exited" >&2; exit 1; }
  sleep 0.05
done
[[ -f "$WORK/port" ]] || { echo "server did not start" >&2; exit 1; }
PORT=$(cat "$WORK/port")
echo "server pid $SERVER_PID on https://127.0.0.1:$PORT/mutate-v1-pod ($SERVER_JAVA_OPTS)"
echo "RSS after start: $(if [[ -n "${NMT:-}" ]]; then "$JAVA_HOME/bin/jcmd" "$SERVER_PID" VM.native_memory summary | grep -E "committed=" | head -25; fi
# the server's own view (handler time only: no TLS, HTTP parsing or queueing)
METRICS=$(curl -s "http://127.0.0.1:$(cat "$WORK/metrics-port")/metrics" || true)
echo "$METRICS" | awk '/^model_validation_webhook_latency_seconds_count/ {c=$2}
  /^model_validation_webhook_latency_seconds_sum/ {s=$2}
  /^model_validation_webhook_latency_seconds_max/ {m=$2}
  END {if (c > 0) printf "handler:    %d requests, mean %.3f ms, max %.2f ms (server-side, AdmissionHandler only)\n", c, s/c*1000, m*1000}'
awk '/VmRSS/ {printf "%.1f MB", $2/1024}' "/proc/$SERVER_PID/status")"

"$JAVA" -Xmx256m -cp "$CP" dev.modelvalidation.operator.bench.LoadGenerator \
  "$PORT" "$WORK/ca.crt" "$RATE" "$SECONDS_TO_RUN" "${WARMUP_SECONDS:-10}"

if [[ -n "${NMT:-}" ]]; then "$JAVA_HOME/bin/jcmd" "$SERVER_PID" VM.native_memory summary | grep -E "committed=" | head -25; fi
# the server's own view (handler time only: no TLS, HTTP parsing or queueing)
METRICS=$(curl -s "http://127.0.0.1:$(cat "$WORK/metrics-port")/metrics" || true)
echo "$METRICS" | awk '/^model_validation_webhook_latency_seconds_count/ {c=$2}
  /^model_validation_webhook_latency_seconds_sum/ {s=$2}
  /^model_validation_webhook_latency_seconds_max/ {m=$2}
  END {if (c > 0) printf "handler:    %d requests, mean %.3f ms, max %.2f ms (server-side, AdmissionHandler only)\n", c, s/c*1000, m*1000}'
awk '/VmRSS/ {printf "server RSS: %.1f MB", $2/1024} /VmHWM/ {hwm=$2} END {printf " (peak %.1f MB)\n", hwm/1024}' \
  "/proc/$SERVER_PID/status"
