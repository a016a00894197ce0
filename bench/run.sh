#!/usr/bin/env bash
# Benchmarks for kubernaut-gateway (issue 8). One bounded command per table:
#   bench/run.sh smoke      harness check, < 60 s (CI runs it)
#   bench/run.sh storm      (a) one fingerprint at max rate, vs the Go protocol
#   bench/run.sh mixed      (b) 1,000 fingerprints, 10 % new, at 100/300/1,000 signals/s and max
#   bench/run.sh newheavy   (c) every signal a new incident
#   bench/run.sh events     (d) Kubernetes Events instead of alerts
#   bench/run.sh replicas   (e) two gateway replicas, round robin
#   bench/run.sh memory     heap per cached RemediationRequest (0/10k/50k RRs) and with 10k pods
#   bench/run.sh startup    start to ready, embedded and against the bench API server
#   bench/run.sh jmh        microbenchmarks (-prof gc): parse + fingerprint, and a duplicate's whole path
#   bench/run.sh all        everything above except smoke
#   bench/run.sh build      build and check the harness only (the gateway's jars, then the bench
#                           module: compile with -Werror, spotless check), the one command from the root
# Extra key=value arguments go to the scenario (seconds=15 connections=16 rrs=0,10000 ...).
# apiserver=real (the default) runs against a real kube-apiserver and etcd started by testenv/start
# (built from their Go modules on first use) behind a counting relay; apiserver=mock against
# fabric8's mock API server, which serves watches over WebSocket only: the gateway's HTTP watches
# fail there and its incident cache goes stale. Generated RemediationRequests (memory: rrs=...)
# need the mock.
# Tables are printed and appended to bench/target/bench-report.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/javac" ]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    [ -x "$candidate/bin/javac" ] && JAVA_HOME="$candidate" && break
  done
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"

scenario="${1:-smoke}"
shift || true

# The bench compiles against the gateway's jar (its embedded cluster's discovery and field
# selectors) and its test-jar (the real API server fixture).
gateway_jars() { ./mvnw -B -q package -DskipTests; }
bench_module() { ./mvnw -B -q -f bench/pom.xml verify "$@"; }

if [ "$scenario" = build ]; then
  gateway_jars
  bench_module # with its unit tests
  echo "bench harness built: bench/target/classes, bench/target/libs"
  exit 0
fi

# build what is missing (set BENCH_REBUILD=1 to force)
if [ "${BENCH_REBUILD:-0}" = 1 ] || [ ! -f target/kubernaut-gateway.jar ] || [ ! -f target/kubernaut-gateway-tests.jar ]; then
  gateway_jars
fi
if [ "${BENCH_REBUILD:-0}" = 1 ] || [ ! -d bench/target/libs ] || [ ! -d bench/target/classes/ai ]; then
  bench_module -DskipTests
fi

CP="bench/target/classes:bench/target/libs/*:target/kubernaut-gateway.jar:target/kubernaut-gateway-tests.jar"
run() { timeout "$1" java -Xmx2g -cp "$CP" ai.kubernaut.bench.Bench "${@:2}"; }

jmh() {
  timeout 600 java -cp "bench/target/classes:target/kubernaut-gateway.jar:target/kubernaut-gateway-tests.jar:target/libs/*:bench/target/libs/*" \
    org.openjdk.jmh.Main 'ParseBenchmark|DuplicatePathBenchmark|WatchEventBenchmark' -prof gc -rf text -rff bench/target/jmh.txt "$@"
  { echo; echo "### JMH: read + fingerprint (ParseBenchmark); a duplicate's whole path without I/O (DuplicatePathBenchmark); a RemediationRequest watch event into the cache (WatchEventBenchmark)"; echo;
    echo '```'; cat bench/target/jmh.txt; echo '```'; } >> bench/target/bench-report.md
}

case "$scenario" in
  smoke) run 90 smoke "$@" ;;
  storm | newheavy | events | replicas) run 240 "$scenario" "$@" ;;
  mixed) run 600 mixed "$@" ;;
  memory) run 600 memory "$@" ;;
  startup) run 180 startup "$@" ;;
  jmh) jmh "$@" ;;
  all)
    start=$(date +%s)
    for s in storm mixed newheavy events replicas startup; do
      "$0" "$s" "$@"
    done
    "$0" memory
    "$0" jmh
    echo "bench/run.sh all took $(( $(date +%s) - start )) s"
    ;;
  *) echo "unknown scenario: $scenario" >&2; exit 2 ;;
esac
