#!/usr/bin/env bash
# Start to ready in embedded mode: time from process start until /readyz answers 200.
#   bench/startup.sh [runs=5] [jar=target/kubernaut-gateway.jar] [-- JVM flags...]
# Each run starts `java [flags] -jar JAR --embedded` with a configuration that only moves the
# listeners to free ports (so runs do not collide with anything else on the machine), polls
# /readyz every 10 ms from this one process, and stops the gateway once it is ready. Prints each
# run (wall ms, and the gateway's CPU ms at that moment) and the median.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5 jar=target/kubernaut-gateway.jar
while [ $# -gt 0 ]; do
  case "$1" in
    runs=* | jar=*) declare "$1"; shift ;;
    --) shift; break ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    [ -x "$candidate/bin/java" ] && JAVA_HOME="$candidate" && break
  done
fi
[ -f "$jar" ] || { echo "no $jar: ./mvnw -q package -DskipTests first" >&2; exit 2; }

work=bench/target/startup
mkdir -p "$work"
exec python3 - "$JAVA_HOME/bin/java" "$jar" "$work" "$runs" "$@" <<'PY'
import os, socket, statistics, subprocess, sys, time, urllib.request

java, jar, work, runs, flags = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:]
ticks = os.sysconf("SC_CLK_TCK")

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def cpu_ms(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 // ticks

walls, cpus = [], []
for run in range(1, runs + 1):
    health = free_port()
    config = os.path.join(work, "gateway.yaml")
    with open(config, "w") as f:
        f.write(f"""server:
  listenAddr: "127.0.0.1:{free_port()}"
  healthAddr: "127.0.0.1:{health}"
  metricsAddr: "127.0.0.1:{free_port()}"
embedded:
  kubeconfig: "{os.path.abspath(work)}/embedded.kubeconfig"
audit:
  file: "{os.path.abspath(work)}/audit.jsonl"
""")
    env = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "JAVA_TOOL_OPTIONS")}
    log = open(os.path.join(work, f"gateway-{run}.log"), "w")
    started = time.monotonic()
    p = subprocess.Popen([java, *flags, "-jar", jar, "--config", config, "--embedded"],
                         stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{health}/readyz"
    try:
        while True:
            if p.poll() is not None:
                sys.exit(f"gateway exited {p.returncode}; see {log.name}")
            if time.monotonic() - started > 120:
                sys.exit("not ready within 120 s")
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            time.sleep(0.01)
        wall = (time.monotonic() - started) * 1000
        cpu = cpu_ms(p.pid)
    finally:
        p.terminate()
        p.wait(30)
    walls.append(wall)
    cpus.append(cpu)
    print(f"run {run}: ready in {wall:.0f} ms, gateway CPU {cpu} ms", flush=True)
print(f"median: ready in {statistics.median(walls):.0f} ms, CPU {statistics.median(cpus):.0f} ms "
      f"({runs} runs, flags: {' '.join(flags) or 'none'})")
PY
