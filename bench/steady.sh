#!/usr/bin/env bash
# Gateway CPU per signal at steady state, measured with wrk (bench/steady/signals.lua).
#   bench/steady.sh [storm|new|mixed] [connections=16] [measure=30] [warmupMax=120] [window=5]
#                   [server=mock|real] [duplicates=N] [recurring=N] [profile=FILE.jfr]
#                   [asprof=FILE] [rounds=N] [turns=DIR name=a|b]
# Starts the bench API server (server=real, the default: RealApiServerMain, the test suite's real
# kube-apiserver and etcd behind a counting relay; server=mock: ApiServerMain, fabric8's mock in its
# own JVM, which serves watches over WebSocket only, so the gateway's HTTP watches fail there and
# its incident cache goes stale: a fallback, labelled so) with a DataStorage stand-in, and the gateway jar against it, warms up in 5 s
# windows until the gateway's CPU per signal is stable (two consecutive windows within 10 %, at
# least 30 s), then measures one window of `measure` seconds. CPU is utime + stime of the gateway
# process from /proc, divided by the signals answered, so it does not depend on how the cores are
# shared. Appends a row to bench/target/steady-report.md. Needs wrk (Debian package `wrk`).
#   storm: every signal a duplicate of one incident (one pod)
#   new:   every signal opens an incident: the pods of `recurring` workloads in turn, each incident
#          deleted by the API server's IncidentRetirer once the gateway has written its status
#   mixed: 10 % as in new, 90 % duplicates spread over `duplicates` workloads with an open incident
#          each, so every duplicate is its own status PATCH unless two meet in one group commit
# The share of signals that opened an incident (the gateway's gateway_dedup_decisions_total, "new"
# over all) is measured and checked: the run fails when it is not what the scenario is about. API
# requests per signal come from the gateway's own counter; the API server's counts by verb are
# saved to bench/target/steady/api-counts.txt. After the window the gateway's CPU at rest (10 s,
# no signals) is measured, the fixed cost per second that the per-signal figure includes.
# profile=FILE records JFR (settings=profile) over the measured window only
# (bench/steady/jfr-shares.py FILE summarises it); asprof=FILE does the same with async-profiler
# (CPU samples with native and JIT frames; FILE.html is a flame graph, FILE.collapsed folded
# stacks), loaded from ASYNC_PROFILER_LIB (libasyncProfiler.so of async-profiler's release).
# rounds=N measures N windows of `measure` seconds and reports their CPU per signal weighted by
# signals; turns= and name= are bench/ab.sh's, which runs two builds taking turns window by window.
# GATEWAY_JAVA_OPTS replaces the gateway's JVM options (default: deploy/base's, the serial collector
# and the heap its 512 MiB memory limit gives, -XX:+UseSerialGC -Xmx384m); with
# -XX:NativeMemoryTracking=summary the JVM's own accounting at the end of the measurement is saved
# to bench/target/steady/native-memory.txt. GATEWAY_JAR runs another build of
# the gateway (e.g. an older commit's jar, to compare).
set -euo pipefail
cd "$(dirname "$0")/.."

scenario="${1:-storm}"
shift || true
connections=16 measure=30 warmupMax=120 window=5 minWarmup=30 server=real profile="" asprof=""
rounds=1 turns="" name=""
case "$scenario" in
  storm) duplicates=1 recurring=0 ;;
  new) duplicates=1 recurring=600 ;;
  mixed) duplicates=400 recurring=600 ;;
  *) echo "unknown scenario $scenario (storm, new or mixed)" >&2; exit 2 ;;
esac
for kv in "$@"; do
  case "$kv" in
    connections=* | measure=* | warmupMax=* | window=* | minWarmup=* | server=* | duplicates=* | recurring=* | profile=* | asprof=* | rounds=* | turns=* | name=*) declare "$kv" ;;
    *) echo "unknown argument $kv" >&2; exit 2 ;;
  esac
done
case "$server" in
  mock) server_main=ApiServerMain server_label="mock (bench API server, own JVM)" ;;
  real) server_main=RealApiServerMain server_label="real kube-apiserver + etcd (testenv) behind the counting relay" ;;
  *) echo "server=mock or server=real" >&2; exit 2 ;;
esac
command -v wrk >/dev/null || { echo "bench/steady.sh needs wrk (apt-get install wrk)" >&2; exit 2; }

if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/javac" ]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    [ -x "$candidate/bin/javac" ] && JAVA_HOME="$candidate" && break
  done
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
{ [ -f target/kubernaut-gateway.jar ] && [ -f target/kubernaut-gateway-tests.jar ]; } || ./mvnw -B -q package -DskipTests
[ -d bench/target/classes/ai ] || ./mvnw -B -q -f bench/pom.xml package -DskipTests

work=bench/target/steady${name:+-$name}
rm -rf "$work" && mkdir -p "$work"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
api_port=$(free_port) counts_port=$(free_port)
listen=$(free_port) health=$(free_port) metrics=$(free_port)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# the storm's ten workloads as before; new and mixed: the duplicates' and the recurring pool
[ "$scenario" = storm ] && seeded=10 || seeded=$duplicates
java -Xmx1g -XX:+UseParallelGC -cp "bench/target/classes:bench/target/libs/*:target/kubernaut-gateway.jar:target/kubernaut-gateway-tests.jar" \
  "ai.kubernaut.bench.$server_main" \
  port="$api_port" countsPort="$counts_port" kubeconfig="$work/kubeconfig" \
  crd=deploy/crd/remediationrequests.kubernaut.ai.yaml workloads="$seeded" recurring="$recurring" >"$work/apiserver.log" 2>&1 &
pids+=($!)
timeout 300 bash -c "until grep -q '^READY' '$work/apiserver.log'; do sleep 0.2; done" \
  || { echo "bench API server did not start:"; tail -20 "$work/apiserver.log"; exit 1; }

cat >"$work/gateway.yaml" <<YAML
server:
  listenAddr: "127.0.0.1:$listen"
  healthAddr: "127.0.0.1:$health"
  metricsAddr: "127.0.0.1:$metrics"
logging:
  level: WARN
  format: console
datastorage:
  url: "http://127.0.0.1:$counts_port"
  healthUrl: "http://127.0.0.1:$counts_port/readyz"
audit:
  spool:
    directory: "$work/audit-spool"
auth:
  mode: none
YAML
KUBERNAUT_CONTROLLER_NAMESPACE=kubernaut-system POD_NAME=kubernaut-gateway-0 POD_NAMESPACE=kubernaut-system \
  java ${GATEWAY_JAVA_OPTS:--XX:+UseSerialGC -Xmx384m} -jar "${GATEWAY_JAR:-target/kubernaut-gateway.jar}" --config "$work/gateway.yaml" --kubeconfig "$work/kubeconfig" \
  >"$work/gateway.log" 2>&1 &
gateway=$!
pids+=("$gateway")
timeout 120 bash -c "until curl -sf http://127.0.0.1:$health/readyz >/dev/null; do sleep 0.2; done" \
  || { echo "gateway did not become ready:"; tail -20 "$work/gateway.log"; exit 1; }

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
children_cpu() { awk '{print $16 + $17}' "/proc/$1/stat"; } # reaped children (wrk) of process $1

# One wrk window: prints "signals cpu_us_per_signal wrk_us_per_request non2xx rps p50 p99"
window_run() {
  local seconds=$1 self=$BASHPID before after wrk_before wrk_after out
  before=$(cpu_ticks "$gateway")
  wrk_before=$(children_cpu "$self")
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/steady/signals.lua \
    "http://127.0.0.1:$listen/api/v1/signals/prometheus" -- "$scenario" "$duplicates" "$recurring" "$(date +%s%N)" "$sent")
  wrk_after=$(children_cpu "$self")
  after=$(cpu_ticks "$gateway")
  echo "$out" >>"$work/wrk.log"
  local requests non2xx rps p50 p99
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  awk -v r="$requests" -v c=$((after - before)) -v w=$((wrk_after - wrk_before)) -v t="$ticks" \
    -v n="${non2xx:-0}" -v rps="$rps" -v p50="$p50" -v p99="$p99" \
    'BEGIN { printf "%d %.0f %.0f %d %s %s %s\n", r, c * 1e6 / t / r, w * 1e6 / t / r, n, rps, p50, p99 }'
}

# With turns=DIR two runs (bench/ab.sh) take turns: each load phase (priming, every window, the
# rest measurement) of one runs while the other waits, so both see the same machine, alternated.
turn_begin() {
  [ -n "$turns" ] || return 0
  timeout 900 bash -c "until [ \"\$(cat '$turns/turn' 2>/dev/null)\" = '$name' ] || [ -e '$turns/done-$other' ]; do sleep 0.05; done" \
    || { echo "waited 900 s for the other run's turn to end" >&2; exit 1; }
}
turn_end() { [ -z "$turns" ] || echo "$other" >"$turns/turn"; }
[ -z "$turns" ] || { [ "$name" = a ] && other=b || other=a; trap 'touch "$turns/done-$name"; turn_end; cleanup' EXIT; }

# mixed: the duplicates' incidents are opened before the warm-up (8 at a time), so that every
# signal about one of those workloads in the measured window is a duplicate however slowly the
# warm-up went
prime_body() {
  printf '{"alerts":[{"status":"firing","labels":{"alertname":"KubePodCrashLooping","severity":"critical","namespace":"bench","pod":"app-%04d-7d9f8b6c5-x2k4p"},"annotations":{"delivery":"open-%d"},"startsAt":"2026-01-01T00:00:00Z"}]}' "$1" "$1"
}
turn_begin
if [ "$scenario" = mixed ]; then
  for ((first = 0; first < duplicates; first += 8)); do
    batch=()
    for ((i = first; i < first + 8 && i < duplicates; i++)); do
      prime_body "$i" | curl -sf -o /dev/null -H 'Content-Type: application/json' --data-binary @- \
        "http://127.0.0.1:$listen/api/v1/signals/prometheus" &
      batch+=($!)
    done
    for p in "${batch[@]}"; do
      wait "$p" || { echo "opening the duplicates' incidents failed" >&2; exit 1; }
    done
  done
  echo "opened the incidents of the $duplicates duplicate workloads"
fi
turn_end

echo "warming up ($scenario on $server_label, duplicates=$duplicates recurring=$recurring, $connections connections, windows of ${window}s, load average $(cut -d' ' -f1-3 /proc/loadavg))"
elapsed=0 previous="" sent=0
while :; do
  turn_begin
  read -r signals cpu _ non2xx rps _ _ < <(window_run "$window")
  turn_end
  sent=$((sent + signals))
  elapsed=$((elapsed + window))
  echo "  window at ${elapsed}s: $signals signals, $cpu µs CPU/signal, $rps/s, non-2xx $non2xx"
  if [ -n "$previous" ] && [ "$elapsed" -ge "$minWarmup" ] \
    && awk -v a="$previous" -v b="$cpu" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 0.1 * a) }'; then
    echo "stable after ${elapsed}s"
    break
  fi
  if [ "$elapsed" -ge "$warmupMax" ]; then
    echo "not stable within ${warmupMax}s; measuring anyway"
    break
  fi
  previous=$cpu
done

# the sum of a gateway metric's samples whose line matches the pattern
metric() {
  curl -s "http://127.0.0.1:$metrics/metrics" | awk -v name="$1" -v want="${2:-}" \
    'index($0, name) == 1 && (want == "" || index($0, want) > 0) {s += $NF} END {printf "%d", s}'
}
requests_before=$(metric gateway_kube_api_requests_total)
new_before=$(metric gateway_dedup_decisions_total 'decision="new"')
decided_before=$(metric gateway_dedup_decisions_total)
redelivered_before=$(metric gateway_signals_redelivered_total)
curl -sf -X POST "http://127.0.0.1:$counts_port/reset" >/dev/null
load_before=$(cut -d' ' -f1 /proc/loadavg)
if [ -n "$profile" ]; then
  jcmd "$gateway" JFR.start name=steady settings=profile filename="$(realpath -m "$profile")" >/dev/null
fi
if [ -n "$asprof" ]; then
  jcmd "$gateway" "JVMTI.agent_load $ASYNC_PROFILER_LIB \"start,event=cpu,interval=1ms,cstack=vm\"" >/dev/null
fi
signals=0 weighted=0 wrkweighted=0 non2xx=0 per_round=""
for ((round = 1; round <= rounds; round++)); do
  turn_begin
  read -r n c w x rps p50 p99 < <(window_run "$measure")
  turn_end
  signals=$((signals + n)) non2xx=$((non2xx + x))
  weighted=$(awk -v a="$weighted" -v n="$n" -v c="$c" 'BEGIN { print a + n * c }')
  wrkweighted=$(awk -v a="$wrkweighted" -v n="$n" -v c="$w" 'BEGIN { print a + n * c }')
  per_round="$per_round${per_round:+, }$c"
done
cpu=$(awk -v a="$weighted" -v n="$signals" 'BEGIN { printf "%.0f", a / n }')
wrkcpu=$(awk -v a="$wrkweighted" -v n="$signals" 'BEGIN { printf "%.0f", a / n }')
rps=$(awk -v n="$signals" -v t=$((measure * rounds)) 'BEGIN { printf "%.2f", n / t }')
[ "$rounds" = 1 ] || echo "measured windows: $per_round µs CPU/signal"
if [ -n "$profile" ]; then
  jcmd "$gateway" JFR.stop name=steady >/dev/null
fi
if [ -n "$asprof" ]; then
  jcmd "$gateway" "JVMTI.agent_load $ASYNC_PROFILER_LIB \"stop,file=$(realpath -m "$asprof")\"" >/dev/null
fi
load_after=$(cut -d' ' -f1 /proc/loadavg)
curl -s "http://127.0.0.1:$counts_port/counts" >"$work/api-counts.txt"
requests_per_signal=$(awk -v a="$(metric gateway_kube_api_requests_total)" -v b="$requests_before" -v n="$signals" 'BEGIN { printf "%.3f", (a - b) / n }')
# of the signals the gateway decided on in the window, those that opened an incident (wrk's count
# and the gateway's differ by the few in flight at the window's edges)
new_share=$(awk -v a="$(metric gateway_dedup_decisions_total 'decision="new"')" -v b="$new_before" \
  -v c="$(metric gateway_dedup_decisions_total)" -v d="$decided_before" 'BEGIN { printf "%.3f", (c > d) ? (a - b) / (c - d) : 0 }')
redelivered=$(($(metric gateway_signals_redelivered_total) - redelivered_before))
# the gateway's requests by verb and resource, per signal (status PATCHes, creates, LISTs, Leases)
by_verb=$(awk -F'\t' -v n="$signals" '$1 == "gateway" && $2 !~ /^WATCH/ {printf "%s%s %.3f", sep, $2, $3 / n; sep = ", "}' "$work/api-counts.txt")
rss=$(awk '/VmRSS/ {print $2}' "/proc/$gateway/status")
# the gateway's CPU with no signals (informers, timers, GC, the audit spool), 10 s after 2 s of rest:
# the part of the per-signal figure that is a fixed cost per second rather than per signal
turn_begin
sleep 2
idle_before=$(cpu_ticks "$gateway")
sleep 10
turn_end
idle=$(awk -v c=$(($(cpu_ticks "$gateway") - idle_before)) -v t="$ticks" 'BEGIN { printf "%.0f", c * 1000 / t / 10 }')
case "${GATEWAY_JAVA_OPTS:-}" in
  *NativeMemoryTracking*) jcmd "$gateway" VM.native_memory summary >"$work/native-memory.txt" 2>&1 || true ;;
esac
line="| $(date -u +%Y-%m-%dT%H:%MZ) | $scenario${GATEWAY_JAVA_OPTS:+ ($GATEWAY_JAVA_OPTS)} | $server_label | $connections | $((measure * rounds))s | $signals | **$cpu** | $rps | $p50 | $p99 | $non2xx | $new_share | $requests_per_signal | $by_verb | $idle | $((rss / 1024)) MiB | $wrkcpu | $load_before–$load_after |"
report=bench/target/steady-report.md
header="| when | scenario | API server | connections | window | signals | gateway CPU µs/signal | signals/s | p50 | p99 | non-2xx | new incident share | API requests/signal | by verb (per signal) | idle CPU ms/s | RSS | wrk CPU µs/request | load average |"
if [ ! -f "$report" ] || [ "$(head -1 "$report")" != "$header" ]; then
  [ -f "$report" ] && mv "$report" "$report.old"
  {
    echo "$header"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  } >"$report"
fi
echo "$line" >>"$report"
echo "steady state${name:+ ($name: ${GATEWAY_JAR:-target/kubernaut-gateway.jar})}: $signals signals in $((measure * rounds))s, gateway CPU $cpu µs/signal, $rps signals/s, p50 $p50, p99 $p99, non-2xx $non2xx, RSS $((rss / 1024)) MiB, $requests_per_signal API requests/signal ($by_verb), new incidents $new_share per signal, idle CPU $idle ms/s, redelivered $redelivered (wrk: $wrkcpu µs/request; load average $load_before at the start, $load_after at the end)"
# a body the gateway has seen is answered from its redelivery memory at next to no cost
[ "$redelivered" = 0 ] || {
  echo "$redelivered signals were answered from the redelivery memory: the figure is not the signal path's" >&2
  exit 1
}
case "$scenario" in
  storm) expected="0 0.01" ;;
  new) expected="0.95 1.01" ;;
  mixed) expected="0.08 0.12" ;;
esac
awk -v s="$new_share" -v range="$expected" 'BEGIN { split(range, r, " "); exit !(s >= r[1] && s <= r[2]) }' \
  || { echo "the $scenario scenario should open new incidents for a share in [${expected/ /, }] of its signals, measured $new_share" >&2; exit 1; }
[ "$non2xx" = 0 ] || { echo "non-2xx answers during the measurement: see $work/gateway.log" >&2; exit 1; }
