#!/usr/bin/env bash
# Two builds of the gateway measured side by side, taking turns on one machine.
#   bench/ab.sh JAR_A JAR_B [storm|new|mixed] [bench/steady.sh options...]
# Runs bench/steady.sh for each jar at once, each with its own bench API server and gateway; the
# two take turns window by window (priming, warm-up, every measured round, the rest measurement),
# so a change in the machine's load falls on both alike. rounds=3 (the default here) measures three
# alternated windows per build. Prints both steady-state lines and the ratio of CPU per signal.
# Jars other than target/kubernaut-gateway.jar need their libs/ directory beside them (copy a
# build's target/ or point at another worktree's target/kubernaut-gateway.jar).
# GATEWAY_JAVA_OPTS_A / GATEWAY_JAVA_OPTS_B give each side its own JVM options (else both take
# GATEWAY_JAVA_OPTS, else bench/steady.sh's default), so one jar can be compared with itself.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: bench/ab.sh JAR_A JAR_B [scenario] [options...]" >&2; exit 2; }
jar_a=$(realpath "$1") jar_b=$(realpath "$2")
shift 2
scenario="${1:-storm}"
shift || true
turns=$(mktemp -d)
trap 'rm -rf "$turns"' EXIT
echo a >"$turns/turn"
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS_A:-${GATEWAY_JAVA_OPTS:-}}" GATEWAY_JAR="$jar_a" bench/steady.sh "$scenario" rounds=3 "$@" turns="$turns" name=a >"$turns/a.log" 2>&1 &
a=$!
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS_B:-${GATEWAY_JAVA_OPTS:-}}" GATEWAY_JAR="$jar_b" bench/steady.sh "$scenario" rounds=3 "$@" turns="$turns" name=b >"$turns/b.log" 2>&1 &
b=$!
status=0
wait "$a" || status=$?
wait "$b" || status=$?
cp "$turns/a.log" bench/target/ab-a.log
cp "$turns/b.log" bench/target/ab-b.log
grep -h -E "^(steady state|measured windows)|fail|error|not stable" "$turns/a.log" "$turns/b.log" || true
cpu() { sed -n 's/^steady state.*gateway CPU \([0-9]*\) µs\/signal.*/\1/p' "$1"; }
ca=$(cpu "$turns/a.log") cb=$(cpu "$turns/b.log")
[ -n "$ca" ] && [ -n "$cb" ] && awk -v a="$ca" -v b="$cb" 'BEGIN { printf "CPU per signal, b / a: %.3f\n", b / a }'
[ "$status" = 0 ] || echo "a run failed: see bench/target/ab-a.log and bench/target/ab-b.log" >&2
exit "$status"
