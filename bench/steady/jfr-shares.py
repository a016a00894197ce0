#!/usr/bin/env python3
"""Summarises a JFR recording of the gateway (bench/steady.sh ... profile=FILE.jfr).

Prints the share of execution samples whose stack contains a frame of each part (a sample counts
once per part however many of its frames belong to it, so the shares overlap and do not add up to
100 %), the methods that were on top of the stack most often (self time), the CPU of the Java
threads by kind (execution samples miss the JIT compilers' work, which this shows), and the
exceptions thrown by where they were made.

    bench/steady/jfr-shares.py FILE.jfr [top=15]
"""
import collections
import json
import re
import subprocess
import sys

PARTS = [
    ("fabric8", ("io.fabric8.",)),
    ("Jackson", ("com.fasterxml.jackson.",)),
    ("Helidon", ("io.helidon.",)),
    ("Vert.x", ("io.vertx.",)),
    ("Netty", ("io.netty.",)),
    ("ai.kubernaut (all)", ("ai.kubernaut.",)),
    ("  signal", ("ai.kubernaut.gateway.signal.",)),
    ("  intake", ("ai.kubernaut.gateway.intake.",)),
    ("  kube", ("ai.kubernaut.gateway.kube.",)),
    ("  adapter", ("ai.kubernaut.gateway.adapter.",)),
    ("  audit", ("ai.kubernaut.gateway.audit.",)),
    ("  http", ("ai.kubernaut.gateway.http.",)),
    ("Micrometer", ("io.micrometer.",)),
    ("logging (slf4j, logback)", ("org.slf4j.", "ch.qos.logback.")),
    ("JDK crypto (SHA-256, TLS)", ("sun.security.", "javax.crypto.", "com.sun.crypto.")),
    ("JDK file I/O", ("sun.nio.ch.FileChannelImpl", "sun.nio.ch.FileDispatcherImpl")),
]


def frames_of(event):
    stack = event.get("values", {}).get("stackTrace") or {}
    out = []
    for frame in stack.get("frames") or []:
        method = frame.get("method") or {}
        klass = ((method.get("type") or {}).get("name") or "?").replace("/", ".")
        out.append(f"{klass}.{method.get('name', '?')}")
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    top = int(sys.argv[2].split("=", 1)[1]) if len(sys.argv) > 2 else 15
    events = jfr_events(sys.argv[1], "jdk.ExecutionSample", depth=256)
    parts = collections.Counter()
    self_time = collections.Counter()
    for event in events:
        frames = frames_of(event)
        if not frames:
            continue
        self_time[frames[0]] += 1
        for name, prefixes in PARTS:
            if any(f.startswith(prefixes) for f in frames):
                parts[name] += 1
    n = len(events)
    print(f"{n} execution samples")
    print()
    print("| Part | Share of samples |")
    print("|---|---:|")
    for name, _ in PARTS:
        print(f"| {name} | {100.0 * parts[name] / n:.1f} % |")
    print()
    print("| Top frame (self time) | Share |")
    print("|---|---:|")
    for method, count in self_time.most_common(top):
        print(f"| `{method}` | {100.0 * count / n:.1f} % |")
    thread_cpu(sys.argv[1])
    seconds = duration(sys.argv[1])
    exceptions(sys.argv[1], seconds)


def duration(path):
    summary = subprocess.run(["jfr", "summary", path], check=True, capture_output=True,
                             text=True).stdout
    found = re.search(r"Duration:\s*(\d+)\s*s", summary)
    return float(found.group(1)) if found else 1.0


def jfr_events(path, event, depth=64):
    text = subprocess.run(
        ["jfr", "print", "--json", "--stack-depth", str(depth), "--events", event, path],
        check=True, capture_output=True, text=True).stdout
    return json.loads(text)["recording"]["events"]


def thread_cpu(path):
    events = jfr_events(path, "jdk.ThreadCPULoad")
    by_kind = collections.Counter()
    for event in events:
        values = event["values"]
        thread = (values.get("eventThread") or {}).get("javaName") or "?"
        by_kind[re.sub(r"\d+", "N", thread)] += values["user"] + values["system"]
    total = sum(by_kind.values()) or 1
    print()
    print("| Java thread (CPU, jdk.ThreadCPULoad) | Share of the Java threads' CPU |")
    print("|---|---:|")
    for kind, load in by_kind.most_common(8):
        print(f"| {kind} | {100.0 * load / total:.1f} % |")


def exceptions(path, seconds):
    events = jfr_events(path, "jdk.JavaExceptionThrow", depth=24)
    where = collections.Counter()
    for event in events:
        values = event["values"]
        thrown = ((values.get("thrownClass") or {}).get("name") or "?").split("/")[-1]
        # the first frame outside the JDK: the code that caused it
        made = [f for f in frames_of(event) if not f.startswith(("java.", "sun.", "jdk."))]
        short = ".".join(made[0].split(".")[-2:]) if made else "the JDK"
        where[f"{thrown} from {short}"] += 1
    print()
    print(f"{len(events)} exceptions thrown ({len(events) / seconds:.0f}/s)")
    print()
    print("| Exception, from | Count |")
    print("|---|---:|")
    for what, count in where.most_common(6):
        print(f"| {what} | {count} |")


if __name__ == "__main__":
    main()
