#!/usr/bin/env python3
"""Summarises a JFR recording of the gateway (bench/steady.sh ... profile=FILE.jfr).

Prints the share of execution samples whose stack contains a frame of each part (a sample counts
once per part however many of its frames belong to it, so the shares overlap and do not add up to
100 %), and the methods that were on top of the stack most often (self time).

    bench/steady/jfr-shares.py FILE.jfr [top=15]
"""
import collections
import json
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
        klass = (method.get("type") or {}).get("name") or "?"
        out.append(f"{klass}.{method.get('name', '?')}")
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    top = int(sys.argv[2].split("=", 1)[1]) if len(sys.argv) > 2 else 15
    text = subprocess.run(
        ["jfr", "print", "--json", "--stack-depth", "256", "--events", "jdk.ExecutionSample",
         sys.argv[1]],
        check=True, capture_output=True, text=True).stdout
    events = json.loads(text)["recording"]["events"]
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


if __name__ == "__main__":
    main()
